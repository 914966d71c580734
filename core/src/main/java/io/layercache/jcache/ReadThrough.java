package io.layercache.jcache;

import io.layercache.Loader;
import io.layercache.coordinator.BatchLoader;
import java.util.List;
import java.util.Map;
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
  private final CacheLoader<K, V> loader;

  /** @param loader the configured loader, or null */
  ReadThrough(String cacheName, CacheLoader<K, V> loader) {
    this.cacheName = cacheName;
    this.loader = loader;
  }

  /** True when a loader is configured. */
  boolean hasLoader() {
    return loader != null;
  }

  /** The loader, for closing; may be null. */
  CacheLoader<K, V> loader() {
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
      return loader.load(key);
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
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Cache loader of cache '" + cacheName + "' failed in loadAll", e);
    }
  }
}
