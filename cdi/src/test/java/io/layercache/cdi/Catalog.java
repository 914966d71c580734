package io.layercache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** A price list whose methods carry every annotation; it counts the calls that reach it. */
@ApplicationScoped
public class Catalog {

  static final String PRICES = "prices";

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  @CacheResult(cacheName = PRICES)
  public Long price(String sku) {
    count("price");
    return sku.equals("free") ? null : (long) sku.length() * 100;
  }

  @CacheResult(cacheName = PRICES, skipGet = true)
  public Long freshPrice(String sku) {
    count("freshPrice");
    return (long) sku.length() * 1000;
  }

  @CacheResult(cacheName = "shipping")
  public String shipping(@CacheKey String sku, int attempt) {
    count("shipping");
    return sku + " ships, attempt " + attempt;
  }

  @CacheResult
  public String label(String sku, int size) {
    count("label");
    return sku + "/" + size;
  }

  @CacheResult(cacheName = "checked-prices", exceptionCacheName = "price-failures",
      cachedExceptions = IllegalArgumentException.class, nonCachedExceptions = NumberFormatException.class)
  public Long checkedPrice(String sku) {
    count("checkedPrice");
    if (sku.startsWith("bad")) {
      throw new IllegalArgumentException("no such sku " + sku);
    }
    if (sku.startsWith("nan")) {
      throw new NumberFormatException(sku);
    }
    return 1L;
  }

  @CachePut(cacheName = PRICES)
  public void setPrice(String sku, @CacheValue Long price) {
    count("setPrice");
  }

  @CachePut(cacheName = PRICES, cacheFor = IllegalStateException.class)
  public void setPriceThenFail(@CacheKey String sku, @CacheValue Long price, RuntimeException failure) {
    throw failure;
  }

  @CacheRemove(cacheName = PRICES)
  public void forget(String sku) {
    count("forget");
  }

  @CacheRemove(cacheName = PRICES, afterInvocation = false)
  public void forgetThenFail(String sku) {
    throw new IllegalStateException("failed after the removal");
  }

  @CacheRemove(cacheName = PRICES)
  public void failToForget(String sku) {
    throw new IllegalStateException("failed before the removal");
  }

  @CacheRemoveAll(cacheName = PRICES)
  public void forgetAll() {
    count("forgetAll");
  }

  /** Calls that reached {@code method} (a method: fields of a client proxy are not the bean's). */
  public int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  private void count(String method) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
  }
}
