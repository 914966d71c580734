package io.layercache;

import io.layercache.jcache.LayerCachingProvider;
import java.net.URI;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh cache manager per test, closed afterwards; caches made from LayerCache configurations. */
public abstract class CacheFixture {

  protected CachingProvider provider;
  protected CacheManager manager;
  protected final ManualTime time = new ManualTime();

  @BeforeEach
  void openManager() {
    provider = Caching.getCachingProvider(LayerCachingProvider.class.getName());
    manager = provider.getCacheManager(URI.create("test:" + UUID.randomUUID()), getClass().getClassLoader());
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** A String→String cache on the manual clock. */
  protected Cache<String, String> stringCache(String name) {
    return manager.createCache(name, new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time));
  }

  /** The LayerCache view of a cache. */
  @SuppressWarnings("unchecked")
  protected static <K, V> LayerCache<K, V> layered(Cache<K, V> cache) {
    return cache.unwrap(LayerCache.class);
  }
}
