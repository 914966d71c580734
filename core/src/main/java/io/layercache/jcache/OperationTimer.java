package io.layercache.jcache;

import io.layercache.jcache.management.JCacheStatistics;

/**
 * The JCache statistics MXBean's timings and its hit/miss rule for conditional operations: one
 * volatile read per operation while statistics are off.
 */
final class OperationTimer {

  private final JCacheStatistics statistics;

  OperationTimer(JCacheStatistics statistics) {
    this.statistics = statistics;
  }

  /** A start time, or 0 while statistics are off. */
  long start() {
    return statistics.isEnabled() ? System.nanoTime() : 0L;
  }

  void stopGet(long start) {
    if (start != 0L) {
      statistics.recordGetTime(System.nanoTime() - start);
    }
  }

  void stopPut(long start) {
    if (start != 0L) {
      statistics.recordPutTime(System.nanoTime() - start);
    }
  }

  void stopRemove(long start) {
    if (start != 0L) {
      statistics.recordRemoveTime(System.nanoTime() - start);
    }
  }

  /** JCache counts a conditional operation's look at the entry as a hit or a miss. */
  void countRead(boolean hit) {
    if (hit) {
      statistics.recordHits(1);
    } else {
      statistics.recordMisses(1);
    }
  }
}
