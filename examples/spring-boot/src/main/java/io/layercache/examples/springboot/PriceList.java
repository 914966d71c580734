package io.layercache.examples.springboot;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;
import org.springframework.stereotype.Service;

/**
 * Prices through the standard JSR-107 annotations, which Spring honours when the JCache API is on
 * the class path: code written against the standard runs unchanged on LayerCache.
 */
@Service
public class PriceList {

  private final Map<Long, BigDecimal> prices = new ConcurrentHashMap<>(Map.of(
      1L, new BigDecimal("12.50"), 2L, new BigDecimal("14.00")));
  private final AtomicInteger lookups = new AtomicInteger();

  /** The price of a book, cached in "prices". */
  @CacheResult(cacheName = "prices")
  public BigDecimal price(long bookId) {
    lookups.incrementAndGet();
    return prices.get(bookId);
  }

  /** Changes a price and removes the cached one. */
  @CacheRemove(cacheName = "prices")
  public void changePrice(@CacheKey long bookId, BigDecimal price) {
    prices.put(bookId, price);
  }

  /** How many lookups reached the price table. */
  public int lookups() {
    return lookups.get();
  }
}
