package io.layercache.layer;

/**
 * Receives the entries a layer dropped by itself, so the coordinator can count them and tell
 * JCache listeners about expiries. Never called for explicit removals.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface EvictionSink<K, V> {

  /**
   * Called after the layer dropped an entry.
   *
   * @param expired true when the layer dropped it for its age, false for its size bound
   */
  void onEvicted(Layer<K, V> layer, K key, StoredEntry<V> entry, boolean expired);
}
