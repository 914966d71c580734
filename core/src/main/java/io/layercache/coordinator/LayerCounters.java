package io.layercache.coordinator;

import io.layercache.LayerStatistics;
import java.util.concurrent.atomic.LongAdder;

/** The always-on counters of one layer; contention-free increments. */
final class LayerCounters {

  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder writes = new LongAdder();
  final LongAdder removals = new LongAdder();
  final LongAdder evictions = new LongAdder();
  /** Reads that skipped the layer because it was unavailable (graceful mode): not misses. */
  final LongAdder skipped = new LongAdder();
  /** Reads that stopped waiting for the layer at the remote soft timeout. */
  final LongAdder softTimeouts = new LongAdder();

  LayerStatistics snapshot(String layer, java.util.Map<String, Long> details) {
    java.util.Map<String, Long> all = details;
    long skips = skipped.sum();
    long soft = softTimeouts.sum();
    if (skips > 0 || soft > 0) {
      all = new java.util.TreeMap<>(details);
      all.put("skipped-unavailable", skips);
      all.put("soft-timeouts", soft);
    }
    return new LayerStatistics(layer, hits.sum(), misses.sum(), writes.sum(), removals.sum(), evictions.sum(), all);
  }

  void reset() {
    hits.reset();
    misses.reset();
    writes.reset();
    removals.reset();
    evictions.reset();
    skipped.reset();
    softTimeouts.reset();
  }
}
