package io.layercache.layer;

import org.jspecify.annotations.Nullable;
import java.util.Iterator;
import java.util.function.BiFunction;

/**
 * One storage level of a cache: memory, Redis, disk. The coordinator stacks layers fastest first
 * and is the only caller; a layer never calls another layer.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe. {@link #compute} is atomic per key within this layer.
 *   <li>A layer may drop entries by itself (size bound, its own expiry); it reports such drops
 *       through {@link LayerContext#evictionSink()}, never for explicit removals.
 *   <li>A layer keeps entries at least until {@link StoredEntry#expireAt()} unless evicted, and
 *       may keep them longer: logical expiry is decided by the coordinator.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Layer<K, V> extends AutoCloseable {

  /** A short name for logs, events and statistics, e.g. {@code "memory"}. */
  String name();

  /** Where the layer lives and whether its calls can fail. */
  LayerTraits traits();

  /** The entry of {@code key}, or null. May return an entry past its expiry. */
  @Nullable StoredEntry<V> get(K key);

  /** Stores the entry, replacing any previous one. */
  void put(K key, StoredEntry<V> entry);

  /** Removes the entry of {@code key}; returns the removed entry or null. */
  @Nullable StoredEntry<V> remove(K key);

  /**
   * Removes the entry of {@code key} only if it is still the same write as {@code expected}
   * ({@link StoredEntry#isSameWriteAs}); by default one {@link #compute}.
   */
  default boolean remove(K key, StoredEntry<V> expected) {
    boolean[] removed = new boolean[1];
    compute(key, (k, current) -> {
      removed[0] = expected.isSameWriteAs(current);
      return removed[0] ? null : current;
    });
    return removed[0];
  }

  /**
   * Atomically replaces the entry of {@code key} with the function's result (null removes it).
   * The function must not touch this layer.
   *
   * @return the new entry, or null
   */
  @Nullable StoredEntry<V> compute(K key,
      BiFunction<? super K, ? super @Nullable StoredEntry<V>, ? extends @Nullable StoredEntry<V>> remapping);

  /**
   * {@link #compute} for a key the caller has reason to think absent (a value loaded under a
   * lease whose layer said, as it granted the lease, that it held no entry). A layer whose compute
   * reads before it writes (a remote compare-and-set) may first run the function on "absent" and
   * write only if the key is still absent, saving the read, and fall back to {@link #compute}
   * when it is not. The function may therefore run once more than with compute. By default
   * {@link #compute}.
   *
   * @return the new entry, or null
   */
  default @Nullable StoredEntry<V> computeIfLikelyAbsent(K key,
      BiFunction<? super K, ? super @Nullable StoredEntry<V>, ? extends @Nullable StoredEntry<V>> remapping) {
    return compute(key, remapping);
  }

  /** Removes every entry of this cache from the layer, reporting nothing. */
  void clear();

  /** The keys present now; weakly consistent, may include expired entries. */
  Iterator<K> keys();

  /**
   * Counters specific to this layer (e.g. decode errors by reason, oversized values), reported
   * in {@link io.layercache.LayerStatistics#details()}; empty by default.
   */
  default java.util.Map<String, Long> diagnostics() {
    return java.util.Map.of();
  }

  /** Zeroes the counters of {@link #diagnostics()}. */
  default void resetDiagnostics() {}

  /**
   * The cross-instance load leases this layer offers for distributed single-flight, or null
   * (the default) when it offers none. Only shared layers can.
   */
  default @Nullable LoadLeases<K> loadLeases() {
    return null;
  }

  /**
   * Reads {@code key} and, only when nothing is stored for it, takes its load lease in the same
   * step: a miss that is going to load (distributed single-flight) then costs one round trip to
   * the layer instead of two. Called only on a layer whose {@link #loadLeases()} is not null.
   * The default reads, then takes the lease: two calls; a lease call that fails takes no lease
   * (the load then asks for one itself and degrades as any lease failure does).
   *
   * @param leaseTime how long the lease lasts without renewal
   * @return the entry, or the lease taken when nothing was stored (no lease when another holder has it)
   */
  default LoadLeases.Read<V> readOrLease(K key, java.time.Duration leaseTime) {
    StoredEntry<V> entry = get(key);
    if (entry != null) {
      return new LoadLeases.Read<>(entry, null, false);
    }
    LoadLeases<K> leases = loadLeases();
    try {
      LoadLeases.Lease lease = leases == null ? null : leases.tryAcquire(key, leaseTime);
      return new LoadLeases.Read<>(null, lease, leases != null && lease == null);
    } catch (LayerFailureException e) {
      return new LoadLeases.Read<>(null, null, false);
    }
  }

  /**
   * The shared tag timestamps this layer offers, so tag invalidations reach every instance and
   * survive restarts; null (the default) when it offers none. Only shared layers can.
   */
  default @Nullable TagTimestamps tagTimestamps() {
    return null;
  }

  /**
   * Removes every entry whose key {@code pattern} matches, reporting nothing; returns how many.
   * By default walks {@link #keys()} and removes each match; a layer that can narrow its walk
   * (e.g. by a key prefix) may do better, but must match with {@link io.layercache.KeyPattern#matches}.
   */
  default long removeMatching(io.layercache.KeyPattern pattern) {
    long removed = 0;
    for (Iterator<K> keys = keys(); keys.hasNext(); ) {
      K key = keys.next();
      if (pattern.matches(key) && remove(key) != null) {
        removed++;
      }
    }
    return removed;
  }

  /** The approximate number of entries. */
  long estimatedSize();

  /** Releases the layer's resources. Entries of remote layers survive. */
  @Override
  void close();
}
