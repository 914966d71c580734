package io.layercache.coordinator;

import io.layercache.TimeSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues strictly increasing write stamps, in microseconds since the epoch.
 *
 * <p>Entries and tag invalidations are both stamped from the same clock, so "was this entry
 * written before the tag was invalidated?" has an exact answer within one JVM, even within one
 * millisecond. Stamps follow the wall clock so they stay comparable across instances, where
 * they are only as exact as the instances' clocks.
 */
public final class WriteClock {

  private final TimeSource timeSource;
  private final AtomicLong last = new AtomicLong();

  /** A clock on the given time source. */
  public WriteClock(TimeSource timeSource) {
    this.timeSource = timeSource;
  }

  /** The next stamp: at least the current time, and greater than every earlier stamp. */
  public long next() {
    long now = timeSource.currentTimeMillis() * 1000L;
    while (true) {
      long previous = last.get();
      long next = Math.max(now, previous + 1);
      if (last.compareAndSet(previous, next)) {
        return next;
      }
    }
  }

  /** Converts a stamp back to epoch milliseconds. */
  public static long toMillis(long stamp) {
    return stamp / 1000L;
  }
}
