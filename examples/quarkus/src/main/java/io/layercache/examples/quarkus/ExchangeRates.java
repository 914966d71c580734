package io.layercache.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** The cached service: the JSR-107 annotations, served on ArC by layercache-cdi's interceptors. */
@ApplicationScoped
public class ExchangeRates {

  @Inject
  RateSource source;

  /** Asked once per currency pair, then served from the {@code rates} cache. */
  @CacheResult(cacheName = "rates")
  public BigDecimal rate(String from, String to) {
    return source.fetch(from, to);
  }

  /** A rate pushed by the rate service: cached under the same key as {@link #rate}. */
  @CachePut(cacheName = "rates")
  public void override(String from, String to, @CacheValue BigDecimal rate) {
    // nothing else to do: the interceptor caches the value after this returns
  }

  /** Forgets every cached rate. */
  @CacheRemoveAll(cacheName = "rates")
  public void reset() {
    // nothing else to do: the interceptor empties the cache after this returns
  }
}
