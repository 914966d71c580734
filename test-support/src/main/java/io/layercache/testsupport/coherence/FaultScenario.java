package io.layercache.testsupport.coherence;

import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A coherence run with one Redis fault in the middle of the workload: reads from the fault's
 * start until the reconcile interval plus a second after it was lifted are judged apart (the bus
 * promises repair, not delivery, across a fault); the rest must stay within the bound, and every
 * key must read right after the settle time. Also measures when each instance repaired.
 */
public final class FaultScenario {

  /** How long after the fault is lifted its window stays open beyond the reconcile interval. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  /**
   * What a scenario found.
   *
   * @param fault      what was injected
   * @param after      how long after the workload began
   * @param report     the coherence report, the fault's window included
   * @param faultAt    {@code System.nanoTime} when the fault began
   * @param liftedAt   when it was lifted (Redis answered again; the kill itself for subscribers)
   * @param repairs    per instance, the first repair of its memory layers after the fault began,
   *                   relative to {@code liftedAt} (negative: during the fault); empty when none
   * @param repairsAfterLift per instance, the first repair after the fault was lifted, relative to
   *                   {@code liftedAt}; empty when none
   */
  public record Result(String fault, Duration after, CoherenceReport report, long faultAt, long liftedAt,
      List<Optional<Duration>> repairs, List<Optional<Duration>> repairsAfterLift) {

    /** When the window's last read staler than the bound began, relative to the lift; empty when none was. */
    public Optional<Duration> lastStaleAfterLift() {
      long last = report.faults().get(0).lastBeyondBound();
      return last == Long.MIN_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(last - liftedAt));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "[fault] %s, %.1f s after the workload began%n"
          + "  first repair per instance, relative to the lift: since the fault began %s, since the lift %s%n"
          + "  last read staler than the bound, relative to the lift: %s%n%s", fault, after.toMillis() / 1e3,
          describe(repairs), describe(repairsAfterLift), lastStaleAfterLift().map(FaultScenario::millis).orElse("none"),
          report);
    }
  }

  private FaultScenario() {}

  /**
   * Runs the workload, injects {@code fault} {@code after} its start for {@code length}, and
   * judges the run against {@code bound} after the configuration's reconcile interval.
   *
   * @param quietAfterLift stop every change once the fault is lifted (reads go on): whatever the
   *                       fault left behind, no later write hides it from the final reads
   */
  public static Result run(RedisServer redis, CoherenceRun.Options options, RedisFault fault, Duration after,
      Duration length, Duration bound, boolean quietAfterLift) {
    try (CoherenceRun run = CoherenceRun.start(options)) {
      long begin = run.begin();
      LockSupport.parkNanos(begin + after.toNanos() - System.nanoTime());
      long faultAt = System.nanoTime();
      fault.inject(redis, length);
      long liftedAt = System.nanoTime();
      if (quietAfterLift) {
        run.workers().forEach(worker -> worker.send("QUIET"));
      }
      Duration reconcile = run.reconcileInterval();
      FaultWindow window = new FaultWindow(fault.describe(length), faultAt,
          liftedAt + reconcile.plus(GRACE).toNanos());
      CoherenceRun.History history = run.collect(reconcile);
      CoherenceReport report = HistoryAnalyzer.analyze(history.operations(), history.finalReads(), history.hiccups(),
          HistoryAnalyzer.Settings.of(bound).withFaults(List.of(window)));
      return new Result(fault.describe(length), after, report, faultAt, liftedAt,
          repairs(history.events(), options.instances(), faultAt, liftedAt),
          repairs(history.events(), options.instances(), liftedAt, liftedAt));
    }
  }

  /** Per instance, its first repair at or after {@code from}, relative to {@code liftedAt}. */
  static List<Optional<Duration>> repairs(List<BusEvent> events, int instances, long from, long liftedAt) {
    List<Optional<Duration>> repairs = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      long before = 0;
      Optional<Duration> first = Optional.empty();
      for (BusEvent event : events) {
        if (event.instance() != i) {
          continue;
        }
        if (event.nanos() < from) {
          before = event.repairs();
        } else if (event.repairs() > before) {
          first = Optional.of(Duration.ofNanos(event.nanos() - liftedAt));
          break;
        }
      }
      repairs.add(first);
    }
    return repairs;
  }

  static List<String> describe(List<Optional<Duration>> repairs) {
    return repairs.stream().map(r -> r.map(FaultScenario::millis).orElse("none")).toList();
  }

  static String millis(Duration duration) {
    return String.format(Locale.ROOT, "%+.0f ms", duration.toNanos() / 1e6);
  }
}
