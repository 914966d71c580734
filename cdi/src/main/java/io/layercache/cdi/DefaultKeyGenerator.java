package io.layercache.cdi;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * The JSR-107 default key generator: a {@link DefaultCacheKey} over the values of the key
 * parameters, which are the parameters marked {@code @CacheKey}, or, when none is, every
 * parameter not marked {@code @CacheValue}.
 */
final class DefaultKeyGenerator implements CacheKeyGenerator {

  static final DefaultKeyGenerator INSTANCE = new DefaultKeyGenerator();

  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    return new DefaultCacheKey(Arrays.stream(context.getKeyParameters())
        .map(CacheInvocationParameter::getValue)
        .toArray());
  }
}
