package io.layercache.testsupport.coherence;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the analysis of one coherence run found ({@link HistoryAnalyzer}).
 *
 * <p>A read is <em>stale</em> when the value it returned had certainly been replaced before it
 * began (by a newer write or removal that had returned, or a tag invalidation that had returned);
 * its staleness is the time from that replacement to the read's start, a lower bound of how old
 * the value was. Reads inside a {@link FaultWindow} are reported per window and left out of the
 * bound.
 *
 * @param instances        instances whose histories were merged
 * @param operations       operations recorded during the workload
 * @param elapsed          from the first operation's start to the last one's end
 * @param reads            reads among them that returned (failed reads judge nothing)
 * @param changes          writes, removals and tag invalidations among them
 * @param failed           operations that threw
 * @param bound            the staleness the run accepts outside fault windows
 * @param staleReads       stale reads outside fault windows
 * @param staleBeyondBound those staler than {@code bound}
 * @param maxStaleness     the stalest of them (zero when none)
 * @param phantomReads     reads of a value no change had produced yet (never acceptable)
 * @param faults           what happened inside each fault window
 * @param unrepaired       final reads (after the workload stopped and the settle time passed)
 *                         that returned anything but the key's last state
 * @param divergent        keys whose final reads differ between instances (each may be a state
 *                         the key may be in, e.g. after a failed write that Redis still applied,
 *                         yet the instances disagree)
 * @param hiccups          late wake-ups of the instances' threads (over 10 ms: GC pauses, other
 *                         processes holding the CPU) during the run, which delay the bus too
 * @param longestHiccup    the longest of them
 * @param examples         the first stale reads beyond the bound and phantom reads, described
 */
public record CoherenceReport(int instances, long operations, Duration elapsed, long reads, long changes, long failed,
    Duration bound, long staleReads, long staleBeyondBound, Duration maxStaleness, long phantomReads,
    List<WindowResult> faults, List<String> unrepaired, List<String> divergent, long hiccups, Duration longestHiccup,
    List<String> examples) {

  /**
   * The reads that began inside one fault window.
   *
   * @param window        the window
   * @param staleReads    stale reads among them
   * @param beyondBound   those staler than the bound
   * @param maxStaleness  the stalest
   * @param lastBeyondBound {@code System.nanoTime} at which the last read staler than the bound
   *                      began; {@code Long.MIN_VALUE} when none was
   */
  public record WindowResult(FaultWindow window, long staleReads, long beyondBound, Duration maxStaleness,
      long lastBeyondBound) {}

  /** Copies the lists. */
  public CoherenceReport {
    faults = List.copyOf(faults);
    unrepaired = List.copyOf(unrepaired);
    divergent = List.copyOf(divergent);
    examples = List.copyOf(examples);
  }

  /**
   * True when no read outside a fault window was staler than the bound, none was a phantom, and
   * every key was repaired and read alike by every instance.
   */
  public boolean coherent() {
    return staleBeyondBound == 0 && phantomReads == 0 && unrepaired.isEmpty() && divergent.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "[coherence] %s: %d instances, %d operations in %.1f s (%.0f a second per instance; %d reads, %d changes, "
            + "%d failed)%n"
            + "  outside faults: %d stale reads, %d beyond the %d ms bound, max staleness %.3f ms; %d phantom reads%n"
            + "  after the settle time: %d final reads unrepaired, %d keys read differently by the instances%n"
            + "  host: %d thread wake-ups over 10 ms late, the longest %.0f ms%n",
        coherent() ? "COHERENT" : "NOT COHERENT", instances, operations, elapsed.toMillis() / 1e3,
        operations / Math.max(1e-9, elapsed.toNanos() / 1e9) / Math.max(1, instances), reads, changes, failed,
        staleReads, staleBeyondBound, bound.toMillis(), maxStaleness.toNanos() / 1e6, phantomReads, unrepaired.size(), divergent.size(), hiccups,
        longestHiccup.toNanos() / 1e6));
    for (WindowResult fault : faults) {
      out.append(String.format(Locale.ROOT, "  during '%s': %d stale reads, %d beyond the bound, max staleness %.3f ms%n",
          fault.window().label(), fault.staleReads(), fault.beyondBound(), fault.maxStaleness().toNanos() / 1e6));
    }
    unrepaired.stream().limit(10).forEach(line -> out.append("  unrepaired: ").append(line).append('\n'));
    divergent.stream().limit(10).forEach(line -> out.append("  divergent: ").append(line).append('\n'));
    examples.forEach(line -> out.append("  ").append(line).append('\n'));
    return out.toString().stripTrailing();
  }
}
