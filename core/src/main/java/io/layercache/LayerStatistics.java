package io.layercache;

import java.util.Map;

/**
 * Counters of one layer of a cache, since the cache was created or last
 * {@linkplain LayerCache#resetLayerStatistics() reset}.
 *
 * <p>Unlike the JCache statistics MXBean these are always collected, so an operator can see
 * where reads are served from without switching statistics on.
 *
 * @param layer           the layer name, e.g. {@code "memory"}
 * @param hits            reads this layer answered
 * @param misses          reads this layer could not answer
 * @param writes          entries written to this layer (including backfills)
 * @param removals        entries removed from this layer by an operation
 * @param evictions       entries the layer dropped by itself (size bound or expiry)
 * @param skipped         reads that skipped the layer after a failed call (graceful mode); not misses
 * @param softTimeouts    reads that stopped waiting for the layer at the remote soft timeout
 * @param failures        calls that failed (unreachable, timed out)
 * @param rejected        calls refused at once by the layer's open circuit breaker
 * @param breakerOpen     true while the layer's circuit breaker is open
 * @param details         counters the layer itself keeps, e.g. the Redis layer's {@code decode-errors}
 * @param calls           timed calls to the layer: only a layer that can fail (behind a circuit breaker) is
 *                        timed, so an in-process layer reports 0
 * @param callTimeNanos   time spent in those calls, whatever their outcome
 */
public record LayerStatistics(String layer, long hits, long misses, long writes, long removals, long evictions,
    long skipped, long softTimeouts, long failures, long rejected, boolean breakerOpen, Map<String, Long> details,
    long calls, long callTimeNanos) {

  /** Freezes the details. */
  public LayerStatistics {
    details = Map.copyOf(details);
  }

  /** A counter the layer itself keeps, 0 when it does not report it. */
  public long detail(String name) {
    return details.getOrDefault(name, 0L);
  }

  /** The share of reads this layer answered, or 0 when it had no reads. */
  public double hitRate() {
    long reads = hits + misses;
    return reads == 0 ? 0.0 : (double) hits / reads;
  }
}
