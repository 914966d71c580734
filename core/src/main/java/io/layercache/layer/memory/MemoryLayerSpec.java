package io.layercache.layer.memory;

import com.github.benmanes.caffeine.cache.Weigher;
import io.layercache.layer.LayerSpec;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The definition of an in-process memory layer on Caffeine.
 *
 * <p>Bound by entry count ({@code maximumSize}) or by weight ({@code maximumWeight} with a
 * {@code weigher}), never both; evicts with Caffeine's W-TinyLFU. Eviction is invisible to JCache
 * (an evicted key simply misses) and counted in the layer's statistics.
 *
 * @param maximumSize   the most entries the layer holds, or null when bounded by weight
 * @param maximumWeight the most total weight the layer holds, or null when bounded by size
 * @param weigher       the weight of an entry's key and value, required with maximumWeight
 * @param ttl           the longest an entry stays in this layer, or null for no cap
 */
public record MemoryLayerSpec(@Nullable Long maximumSize, @Nullable Long maximumWeight,
    @Nullable Weigher<Object, Object> weigher, @Nullable Duration ttl)
    implements LayerSpec {

  /** The layer type name. */
  public static final String TYPE = "memory";

  /** The default bound: a production cache should never grow without one. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  /** The maximum size of an {@link #unbounded()} layer. */
  public static final long UNBOUNDED = Long.MAX_VALUE;

  /** Validates the definition; messages name the setting. */
  public MemoryLayerSpec {
    if (maximumSize != null && maximumWeight != null) {
      throw new IllegalArgumentException("memory.maximum-size and memory.maximum-weight are exclusive; set one");
    }
    if (maximumSize == null && maximumWeight == null) {
      throw new IllegalArgumentException("memory layer needs memory.maximum-size or memory.maximum-weight");
    }
    if (maximumSize != null && maximumSize < 0) {
      throw new IllegalArgumentException("memory.maximum-size must be >= 0, was " + maximumSize);
    }
    if (maximumWeight != null) {
      if (maximumWeight < 0) {
        throw new IllegalArgumentException("memory.maximum-weight must be >= 0, was " + maximumWeight);
      }
      if (weigher == null) {
        throw new IllegalArgumentException("memory.maximum-weight needs memory.weigher");
      }
    }
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("memory.ttl must be positive, was " + ttl);
    }
  }

  /** A memory layer bounded to {@link #DEFAULT_MAXIMUM_SIZE} entries, without a ttl cap. */
  public static MemoryLayerSpec defaults() {
    return ofMaximumSize(DEFAULT_MAXIMUM_SIZE);
  }

  /** A memory layer holding at most {@code maximumSize} entries. */
  public static MemoryLayerSpec ofMaximumSize(long maximumSize) {
    return new MemoryLayerSpec(maximumSize, null, null, null);
  }

  /**
   * A memory layer without a size bound: entries leave only by expiry or removal. Caffeine then
   * keeps a plain hash map (no eviction policy: 66 instead of 108 bytes per entry as measured in
   * docs/benchmarking.md, and a cheaper hit),
   * as an unbounded JCache provider does; for caches whose key set is known to be small, or whose
   * entries all expire. Not the default: a production cache should never grow without a bound.
   */
  public static MemoryLayerSpec unbounded() {
    return ofMaximumSize(UNBOUNDED);
  }

  /** True for an {@link #unbounded()} layer. */
  public boolean isUnbounded() {
    return maximumSize != null && maximumSize == UNBOUNDED;
  }

  /** A memory layer bounded by total weight. */
  public static MemoryLayerSpec ofMaximumWeight(long maximumWeight, Weigher<Object, Object> weigher) {
    return new MemoryLayerSpec(null, maximumWeight, weigher, null);
  }

  /** The same layer with a cap on how long an entry stays in it. */
  public MemoryLayerSpec withTtl(Duration ttl) {
    return new MemoryLayerSpec(maximumSize, maximumWeight, weigher, ttl);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
