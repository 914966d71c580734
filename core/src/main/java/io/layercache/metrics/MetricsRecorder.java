package io.layercache.metrics;

/**
 * Where a cache reports what it counts: one interface, several recorders (the JCache statistics
 * MXBean, a Micrometer binder), each keeping what it needs. Every method defaults to doing
 * nothing, so a recorder implements only its own concerns and {@link #NONE} costs nothing.
 *
 * <ul>
 *   <li>Three levels: the cache (JCache's hits, misses, puts, removals, evictions and times),
 *       each layer ({@link LayerEvent}) and loading ({@link LoadEvent}).
 *   <li>Cache-level counts follow JCache: a read answered with a value is a hit (a live entry, or
 *       a stale one served while it is revalidated), anything else (absent, expired, a remembered
 *       "not found") a miss; puts, removals and evictions come from the
 *       cache's change feed, one per committed change.
 *   <li>Called on the operation's thread; implementations must be thread-safe and cheap.
 * </ul>
 */
public interface MetricsRecorder {

  /** Records nothing. */
  MetricsRecorder NONE = new MetricsRecorder() {};

  /** {@code count} reads found a live entry. */
  default void recordHits(long count) {}

  /** {@code count} reads found no live entry. */
  default void recordMisses(long count) {}

  /** {@code count} values were stored. */
  default void recordPuts(long count) {}

  /** {@code count} live entries were removed by operations. */
  default void recordRemovals(long count) {}

  /** {@code count} live entries were dropped for the size bound. */
  default void recordEvictions(long count) {}

  /** A read operation took {@code nanos}. */
  default void recordGetTime(long nanos) {}

  /** A write operation took {@code nanos}. */
  default void recordPutTime(long nanos) {}

  /** A removal took {@code nanos}. */
  default void recordRemoveTime(long nanos) {}

  /** Something happened to layer {@code layer} (its index, top layer first). */
  default void recordLayer(int layer, LayerEvent event) {}

  /** Something happened while loading. */
  default void recordLoad(LoadEvent event) {}

  /**
   * A call to layer {@code layer} that can fail (one behind a circuit breaker) took {@code nanos},
   * whatever its outcome. In-process layers are not timed: their calls cost less than the clock.
   */
  default void recordLayerCall(int layer, long nanos) {}

  /** A reader's loader call ({@link LoadEvent#LOADED} or {@link LoadEvent#LOAD_FAILED}) took {@code nanos}. */
  default void recordLoadTime(long nanos) {}
}
