package io.layercache.cdi;

import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;

/**
 * The three members the cache annotations and {@code @CacheDefaults} share. An empty name, the
 * {@code CacheResolverFactory} interface and the {@code CacheKeyGenerator} interface are the
 * annotations' "not set" values.
 */
record AnnotationSettings(String cacheName, Class<? extends CacheResolverFactory> resolverFactory,
    Class<? extends CacheKeyGenerator> keyGenerator) {

  static final AnnotationSettings NONE =
      new AnnotationSettings("", CacheResolverFactory.class, CacheKeyGenerator.class);

  static AnnotationSettings of(Annotation annotation) {
    if (annotation instanceof CacheResult a) {
      return new AnnotationSettings(a.cacheName(), a.cacheResolverFactory(), a.cacheKeyGenerator());
    }
    if (annotation instanceof CachePut a) {
      return new AnnotationSettings(a.cacheName(), a.cacheResolverFactory(), a.cacheKeyGenerator());
    }
    if (annotation instanceof CacheRemove a) {
      return new AnnotationSettings(a.cacheName(), a.cacheResolverFactory(), a.cacheKeyGenerator());
    }
    if (annotation instanceof CacheRemoveAll a) {
      return new AnnotationSettings(a.cacheName(), a.cacheResolverFactory(), CacheKeyGenerator.class);
    }
    if (annotation instanceof CacheDefaults a) {
      return new AnnotationSettings(a.cacheName(), a.cacheResolverFactory(), a.cacheKeyGenerator());
    }
    throw new IllegalArgumentException("Not a JSR-107 cache annotation: " + annotation);
  }

  /** This setting, or the class's {@code @CacheDefaults} where this one is not set. */
  AnnotationSettings over(AnnotationSettings defaults) {
    return new AnnotationSettings(
        cacheName.isEmpty() ? defaults.cacheName : cacheName,
        resolverFactory == CacheResolverFactory.class ? defaults.resolverFactory : resolverFactory,
        keyGenerator == CacheKeyGenerator.class ? defaults.keyGenerator : keyGenerator);
  }
}
