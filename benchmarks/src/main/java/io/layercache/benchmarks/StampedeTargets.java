package io.layercache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;

/**
 * The stampede benchmark's targets: how each implementation is asked for the hot key through its
 * own read-through (raw Caffeine's {@code get(key, loader)}, JCache read-through with a counting
 * {@code CacheLoader}); LayerCache's is {@link LayerCacheStampedeTarget}.
 */
final class StampedeTargets {

  private StampedeTargets() {}

  static final class RawCaffeineTarget implements StampedeTarget {
    private final com.github.benmanes.caffeine.cache.Cache<String, String> cache =
        Caffeine.newBuilder().build();

    @Override
    public void invalidate(String key) {
      cache.invalidate(key);
    }

    @Override
    public String get(String key) {
      return cache.get(key, StampedeBenchmark::loadUnchecked);
    }

    @Override
    public void close() {
      cache.invalidateAll();
    }
  }

  static final class CountingCacheLoader implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      return StampedeBenchmark.loadUnchecked(key);
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> result = new LinkedHashMap<>();
      for (String key : keys) {
        result.put(key, StampedeBenchmark.loadUnchecked(key));
      }
      return result;
    }
  }

  static final class JCacheReadThroughTarget implements StampedeTarget {
    private final Cache<String, String> cache;

    JCacheReadThroughTarget(String impl) {
      MutableConfiguration<String, String> config =
          new MutableConfiguration<String, String>()
              .setTypes(String.class, String.class)
              .setStoreByValue(false)
              .setReadThrough(true)
              .setCacheLoaderFactory(
                  new FactoryBuilder.SingletonFactory<CacheLoader<String, String>>(
                      new CountingCacheLoader()));
      cache = Impls.createCache(impl, "stampede-" + impl, config);
    }

    @Override
    public void invalidate(String key) {
      cache.remove(key);
    }

    @Override
    public String get(String key) {
      return cache.get(key);
    }

    @Override
    public void close() {
      Impls.closeQuietly(cache);
    }
  }

  static StampedeTarget create(String impl) {
    switch (impl) {
      case Impls.LAYERCACHE:
        return new LayerCacheStampedeTarget();
      case Impls.RAW_CAFFEINE:
        return new RawCaffeineTarget();
      case Impls.CAFFEINE_JCACHE:
      case Impls.CACHE2K_JCACHE:
      case Impls.EHCACHE_JCACHE:
        return new JCacheReadThroughTarget(impl);
      default:
        throw new IllegalArgumentException("unknown impl " + impl + " (known: " + Impls.ORDER + ")");
    }
  }
}
