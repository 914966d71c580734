package io.layercache.coordinator;

import java.util.List;
import java.util.Map;

/**
 * Loads many keys in one call (a JCache {@code CacheLoader.loadAll}). Keys absent from the
 * result, or mapped to null, were not found.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface BatchLoader<K, V> {

  /** The values of {@code keys} the origin has. */
  Map<K, V> loadAll(List<K> keys) throws Exception;
}
