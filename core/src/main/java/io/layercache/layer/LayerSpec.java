package io.layercache.layer;

import org.jspecify.annotations.Nullable;

/**
 * The immutable, validated definition of one layer in a cache's stack. A {@link LayerFactory}
 * with the same {@link #type()} turns it into a {@link Layer}.
 */
public interface LayerSpec {

  /** The layer type, e.g. {@code "memory"} or {@code "redis"}; selects the factory. */
  String type();

  /**
   * The longest time an entry may stay in this layer, whatever its own expiry; {@code null}
   * for no cap. A short cap on the memory layer bounds how stale an instance's copy can get.
   */
  default java.time.@Nullable Duration ttl() {
    return null;
  }

  /**
   * The codec settings (class allow-list, size caps) of a layer that serializes entries, or null.
   * The invalidation bus encodes keys and primed values with the first layer's settings that has
   * them, so it accepts exactly the classes the shared layer accepts.
   */
  default io.layercache.codec.@Nullable CodecSettings codecSettings() {
    return null;
  }
}
