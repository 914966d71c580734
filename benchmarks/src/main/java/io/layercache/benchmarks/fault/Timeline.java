package io.layercache.benchmarks.fault;

import java.util.Locale;

/** The fault window of one run, on the {@link System#nanoTime()} clock. */
final class Timeline {
  private volatile long recordFrom = Long.MAX_VALUE;
  private volatile long faultStart = Long.MAX_VALUE;
  private volatile long faultEnd = Long.MAX_VALUE;

  void startRecording() {
    recordFrom = System.nanoTime();
  }

  void faultStarted(long at) {
    faultStart = at;
  }

  void faultEnded(long at) {
    faultEnd = at;
  }

  long faultStart() {
    return faultStart;
  }

  long faultEnd() {
    return faultEnd;
  }

  boolean ended() {
    return faultEnd != Long.MAX_VALUE;
  }

  Phase phase(long at) {
    if (at < recordFrom) {
      return Phase.WARMUP;
    }
    if (at < faultStart) {
      return Phase.BEFORE;
    }
    return at < faultEnd ? Phase.DURING : Phase.AFTER;
  }

  /** "+1.234 s" from the fault start, or "end +0.456 s" once the fault is over. */
  String relative(long at) {
    if (faultStart == Long.MAX_VALUE || at < faultStart) {
      double s = faultStart == Long.MAX_VALUE ? Double.NaN : (at - faultStart) / 1e9;
      return String.format(Locale.ROOT, "start %+.3f s", s);
    }
    if (at < faultEnd) {
      return String.format(Locale.ROOT, "start +%.3f s", (at - faultStart) / 1e9);
    }
    return String.format(Locale.ROOT, "end +%.3f s", (at - faultEnd) / 1e9);
  }
}
