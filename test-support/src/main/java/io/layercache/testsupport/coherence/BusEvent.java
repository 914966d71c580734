package io.layercache.testsupport.coherence;

import io.layercache.bus.BusStatistics;
import java.util.Locale;

/**
 * A change an instance saw in its bus statistics during a run (sampled every few milliseconds):
 * when its memory layers were repaired, its subscription interrupted, a gap found, trust lost or
 * regained. Fault reports read repair times from these.
 *
 * @param instance      the instance
 * @param nanos         {@code System.nanoTime} of the sample that saw the change
 * @param repairs       repairs so far
 * @param interruptions subscription interruptions so far
 * @param gaps          holes found in other instances' sequences so far
 * @param trusted       its own heartbeats come back
 * @param up            the transport reports itself subscribed
 */
public record BusEvent(int instance, long nanos, long repairs, long interruptions, long gaps, boolean trusted,
    boolean up) {

  /** The event of a statistics snapshot. */
  static BusEvent of(int instance, long nanos, BusStatistics statistics) {
    return new BusEvent(instance, nanos, statistics.repairs(), statistics.interruptions(), statistics.gaps(),
        statistics.trusted(), statistics.transportUp());
  }

  /** True when {@code other} reports the same state. */
  boolean sameState(BusEvent other) {
    return other != null && repairs == other.repairs && interruptions == other.interruptions && gaps == other.gaps
        && trusted == other.trusted && up == other.up;
  }

  /** One line of a worker's output. */
  String toLine() {
    return String.format(Locale.ROOT, "EV %d %d %d %d %d %b %b", instance, nanos, repairs, interruptions, gaps, trusted,
        up);
  }

  /** The event of a line made by {@link #toLine()}. */
  static BusEvent parse(String line) {
    String[] f = line.split(" ");
    return new BusEvent(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
        Long.parseLong(f[5]), Boolean.parseBoolean(f[6]), Boolean.parseBoolean(f[7]));
  }
}
