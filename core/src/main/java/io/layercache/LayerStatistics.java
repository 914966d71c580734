package io.layercache;

/**
 * Counters of one layer of a cache, since the cache was created or last
 * {@linkplain LayerCache#resetLayerStatistics() reset}.
 *
 * <p>Unlike the JCache statistics MXBean these are always collected, so an operator can see
 * where reads are served from without switching statistics on.
 *
 * @param layer     the layer name, e.g. {@code "memory"}
 * @param hits      reads this layer answered
 * @param misses    reads this layer could not answer
 * @param writes    entries written to this layer (including backfills)
 * @param removals  entries removed from this layer by an operation
 * @param evictions entries the layer dropped by itself (size bound or expiry)
 * @param details   counters specific to the layer, e.g. {@code decode-errors} of a remote layer
 */
public record LayerStatistics(String layer, long hits, long misses, long writes, long removals, long evictions,
    java.util.Map<String, Long> details) {

  /** Freezes the details. */
  public LayerStatistics {
    details = java.util.Map.copyOf(details);
  }

  /** A detail counter, 0 when the layer does not report it. */
  public long detail(String name) {
    return details.getOrDefault(name, 0L);
  }

  /** The share of reads this layer answered, or 0 when it had no reads. */
  public double hitRate() {
    long reads = hits + misses;
    return reads == 0 ? 0.0 : (double) hits / reads;
  }
}
