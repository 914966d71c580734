package io.layercache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.annotation.Annotation;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@code @CacheResult} on the class, and a key generator of its own on one method. The counter is
 * static: on this class every business method is cached, a counter getter included.
 */
@ApplicationScoped
@CacheResult(cacheName = "zones")
public class Clock {

  static final AtomicInteger CALLS = new AtomicInteger();

  public String zone(String id) {
    CALLS.incrementAndGet();
    return "zone " + id;
  }

  @CacheResult(cacheName = "zones-any-case", cacheKeyGenerator = CaseInsensitiveKeys.class)
  public String zoneAnyCase(String id) {
    CALLS.incrementAndGet();
    return "zone " + id.toLowerCase(Locale.ROOT);
  }

  /** Not a bean: created with its no-argument constructor. */
  public static final class CaseInsensitiveKeys implements CacheKeyGenerator {
    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      return new DefaultCacheKey(((String) context.getKeyParameters()[0].getValue()).toLowerCase(Locale.ROOT));
    }
  }
}
