package io.layercache.jcache;

import io.layercache.Loader;
import io.layercache.coordinator.BatchLoader;
import java.util.List;
import java.util.Map;
import javax.cache.configuration.Factory;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/**
 * The cache's JCache {@link CacheLoader} as the core's loaders: failures become
 * {@link CacheLoaderException}s that name the cache (and key).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ReadThrough<K, V> {

  private final String cacheName;
  private final Factory<? extends CacheLoader<K, V>> factory;
  private CacheLoader<K, V> loader;
  private boolean closed;

  /** @param factory the configured loader's factory, or null */
  ReadThrough(String cacheName, Factory<? extends CacheLoader<K, V>> factory) {
    this.cacheName = cacheName;
    this.factory = factory;
  }

  /** True when a loader is configured. */
  boolean hasLoader() {
    return factory != null;
  }

  /**
   * The loader, created on first use: a cache that never loads never holds one (a loader may
   * open connections to its origin as it is built).
   */
  private synchronized CacheLoader<K, V> instance() {
    if (closed) {
      throw new IllegalStateException("Cache '" + cacheName + "' is closed");
    }
    if (loader == null) {
      loader = factory.create();
    }
    return loader;
  }

  /** Stops creating the loader; returns the one created, for closing, or null. */
  synchronized CacheLoader<K, V> close() {
    closed = true;
    return loader;
  }

  /** One key through {@link CacheLoader#load}. */
  Loader<K, V> single() {
    return this::load;
  }

  /** Many keys through {@link CacheLoader#loadAll}. */
  BatchLoader<K, V> batch() {
    return this::loadAll;
  }

  V load(K key) {
    try {
      return instance().load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Cache loader of cache '" + cacheName + "' failed for key " + key, e);
    }
  }

  Map<K, V> loadAll(List<K> keys) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    try {
      Map<K, V> loaded = instance().loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Cache loader of cache '" + cacheName + "' failed in loadAll", e);
    }
  }
}
