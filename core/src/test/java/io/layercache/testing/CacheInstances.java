package io.layercache.testing;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.jcache.LayerCachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * Cache managers standing for separate application instances in one JVM: each has its own memory
 * layers, pools and clients; caches built on an {@link InMemoryRemote} share its entries. Close it
 * (e.g. in {@code @AfterEach}) to close every instance.
 */
public final class CacheInstances implements AutoCloseable {

  private final ClassLoader classLoader;
  private final List<CacheManager> managers = new ArrayList<>();

  /** Instances whose caches resolve classes (and layer factories) through {@code classLoader}. */
  public CacheInstances(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /** Instances on this class's class loader. */
  public CacheInstances() {
    this(CacheInstances.class.getClassLoader());
  }

  /** A new instance: a cache manager of its own. */
  public synchronized CacheManager newInstance() {
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("instance:" + UUID.randomUUID()), classLoader);
    managers.add(manager);
    return manager;
  }

  /** Cache {@code name} with {@code configuration} on a new instance, as its LayerCache view. */
  public <K, V> LayerCache<K, V> newCache(String name, LayerCacheConfiguration<K, V> configuration) {
    return layered(newInstance().createCache(name, configuration));
  }

  /** The LayerCache view of a JCache cache. */
  @SuppressWarnings("unchecked")
  public static <K, V> LayerCache<K, V> layered(javax.cache.Cache<K, V> cache) {
    return cache.unwrap(LayerCache.class);
  }

  /** Closes every instance made here. */
  @Override
  public synchronized void close() {
    managers.forEach(CacheManager::close);
    managers.clear();
  }
}
