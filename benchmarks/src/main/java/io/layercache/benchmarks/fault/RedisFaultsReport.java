package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.LayerStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.layercache.benchmarks.fault.RedisFaults.Fault;
import io.layercache.benchmarks.fault.RedisFaults.Run;
import io.layercache.benchmarks.fault.RedisFaults.Timing;

/** The markdown section one fault scenario of {@link RedisFaults} reports: what was done, the figures, the checks. */
final class RedisFaultsReport {

  private RedisFaultsReport() {}

  static String report(Fault fault, String scenario, Duration faultFor, Timing timing, String faultDetail,
      Timeline timeline, List<Run> runs, long stoppedAt, int l2Keys, Checks checks) {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(fault.id).append(". ").append(fault.description).append(" (fault window ")
        .append(faultFor.toSeconds()).append(" s)\n\n");
    sb.append("- Fault: ").append(faultDetail).append(".\n");
    sb.append(String.format(Locale.ROOT,
        "- Phases by call start: before = %d s before the fault start (after %d s of unrecorded warm-up), during ="
            + " fault window, after = from the fault end until both instances had recovered and their breakers were"
            + " closed for 2 s (at least %d s, at most %d s); the after phase lasted %.1f s.%n",
        timing.before().toSeconds(), timing.warmup().toSeconds(), timing.minAfter().toSeconds(),
        timing.maxAfter().toSeconds(), (stoppedAt - timeline.faultEnd()) / 1e9));
    for (Run r : runs) {
      if (r.l2ExhaustedAt != 0) {
        sb.append("- ").append(r.node.label).append(": the ").append(l2Keys).append(" seeded L2 keys ran out at ")
            .append(timeline.relative(r.l2ExhaustedAt)).append("; no L2 calls after that.\n");
      }
    }
    if (fault == Fault.KILL) {
      sb.append("- The restarted Redis is empty: \"L2 hit\" calls in the after phase find nothing in Redis and"
          + " load (they are cold misses then).\n");
    }
    sb.append('\n').append(phaseTable(runs)).append('\n');
    for (Run r : runs) {
      Tally tally = Tally.of(r, timeline);
      sb.append(nodeSection(r, tally, timeline));
      check(checks, scenario + " " + r.node.label, fault, r, tally, timeline);
    }
    return sb.toString();
  }

  /** Every instance's calls by kind and phase: counts, exceptions, latencies, loader calls. */
  private static String phaseTable(List<Run> runs) {
    StringBuilder sb = new StringBuilder("| mode | call | phase | calls | exceptions | p50 / p99 / max ms | loader calls |\n");
    sb.append("|---|---|---|---:|---:|---|---:|\n");
    for (Run r : runs) {
      for (OpLog log : r.logs()) {
        for (Phase p : PHASES) {
          OpLog.PhaseStats s = log.of(p);
          sb.append("| ").append(r.node.label).append(" | ").append(log.op).append(" | ").append(p.label)
              .append(" | ").append(s.calls).append(" | ").append(s.errors).append(" | ")
              .append(s.latencies.summary()).append(" | ").append(s.loaderCalls.get()).append(" |\n");
        }
      }
    }
    return sb.toString();
  }

  private static final List<Phase> PHASES = List.of(Phase.BEFORE, Phase.DURING, Phase.AFTER);
  private static final long BOUND_WITH_LOADER = Node.CALL_BOUND_MS + RedisFaults.LOADER_MS;

  /** What one instance's calls added up to over every phase: exceptions, wrong values, the longest call. */
  private static final class Tally {
    long errors;
    long errorsDuring;
    long wrong;
    long overBound;
    long unclear;
    final Map<String, Long> types = new LinkedHashMap<>();
    final List<String> firsts = new ArrayList<>();
    final Map<String, long[]> messages = new LinkedHashMap<>();
    long maxNanos = -1;
    String maxWhere = "";
    List<String> maxTrace = List.of();

    static Tally of(Run r, Timeline timeline) {
      Tally tally = new Tally();
      for (OpLog log : r.logs()) {
        for (Phase p : PHASES) {
          tally.add(log.op, p, log.of(p), timeline);
        }
      }
      return tally;
    }

    private void add(String op, Phase p, OpLog.PhaseStats s, Timeline timeline) {
      errors += s.errors;
      errorsDuring += p == Phase.DURING ? s.errors : 0;
      wrong += s.wrongValues;
      unclear += s.unclearErrors;
      s.errorTypes.forEach((k, v) -> types.merge(k, v, Long::sum));
      if (s.firstError != null) {
        firsts.add(op + ", " + p.label + ": `" + s.firstError + "`");
      }
      s.errorMessages.forEach((m, n) -> {
        long[] v = messages.computeIfAbsent(op + ", " + p.label + " | " + m, k -> new long[2]);
        v[0] += n;
        v[1] = s.errorMessageFirstAt.get(m);
      });
      for (long v : s.latencies.sorted()) {
        overBound += v / 1e6 > BOUND_WITH_LOADER ? 1 : 0;
      }
      if (s.maxNanos > maxNanos) {
        maxNanos = s.maxNanos;
        maxWhere = op + ", " + p.label + " phase, call started at " + timeline.relative(s.maxAt);
        maxTrace = s.maxTrace;
      }
    }
  }

  /** One instance's paragraph: its exceptions, longest call, breaker, recovery and Redis statistics. */
  private static String nodeSection(Run r, Tally t, Timeline timeline) {
    StringBuilder sb = new StringBuilder("**").append(r.node.label).append("**\n\n");
    sb.append("- Exceptions thrown to callers: ").append(t.errors).append(" (").append(t.errorsDuring)
        .append(" during the fault)").append(t.types.isEmpty() ? "" : "; by type: " + t.types).append('\n');
    for (String f : t.firsts) {
      sb.append("  - first in ").append(f).append('\n');
    }
    distinctExceptions(sb, t, timeline);
    sb.append(String.format(Locale.ROOT, "- Longest single call: %.1f ms (%s); calls longer than the call bound"
        + " %d ms + %d ms loader: %d%n", t.maxNanos / 1e6, t.maxWhere, Node.CALL_BOUND_MS, RedisFaults.LOADER_MS,
        t.overBound));
    if (!t.maxTrace.isEmpty()) {
      sb.append("  - events that call caused, from its start: ").append(String.join("; ", t.maxTrace)).append('\n');
    }
    sb.append(transitions(r.node, timeline));
    sb.append(recovery(r, timeline));
    LayerStatistics rs = r.node.redisStatistics();
    if (rs != null) {
      sb.append("- Redis layer statistics at the end: hits ").append(rs.hits()).append(", misses ").append(rs.misses())
          .append(", writes ").append(rs.writes()).append(", details ").append(rs.details()).append('\n');
    }
    return sb.append('\n').toString();
  }

  /** The first 16 distinct exception messages, by call and phase, with count and first occurrence. */
  private static void distinctExceptions(StringBuilder sb, Tally t, Timeline timeline) {
    if (t.messages.isEmpty()) {
      return;
    }
    sb.append("  - distinct exceptions (digits folded to N), by call and phase, with count and first occurrence:\n");
    int n = 0;
    for (Map.Entry<String, long[]> e : t.messages.entrySet()) {
      if (n++ == 16) {
        sb.append("    - … ").append(t.messages.size() - 16).append(" more\n");
        break;
      }
      String[] parts = e.getKey().split(" \\| ", 2);
      sb.append("    - ").append(parts[0]).append(": ").append(e.getValue()[0]).append("×, first at ")
          .append(timeline.relative(e.getValue()[1])).append(": `").append(parts[1]).append("`\n");
    }
  }

  /** The Redis layer's breaker transitions, the first 40. */
  private static String transitions(Node node, Timeline timeline) {
    StringBuilder sb = new StringBuilder("- Breaker transitions (Redis layer):");
    if (node.transitions.isEmpty()) {
      sb.append(" none");
    }
    int shown = 0;
    for (Node.Transition t : node.transitions) {
      if (shown++ == 40) {
        sb.append(" … (").append(node.transitions.size() - 40).append(" more)");
        break;
      }
      sb.append(shown == 1 ? " " : "; ").append(t.from()).append("→").append(t.to()).append(" at ")
          .append(timeline.relative(t.atNanos()));
    }
    return sb.append('\n').toString();
  }

  /** When the instance was Redis-backed again, and when its breaker closed, after the fault end. */
  private static String recovery(Run r, Timeline timeline) {
    long closedAt = closedAfter(r.node, timeline.faultEnd());
    return "- Recovery: first Redis-backed success (a Redis hit or write) "
        + (r.recoveredAt == 0 ? "NOT observed" : String.format(Locale.ROOT, "%.0f ms after the fault end",
            (r.recoveredAt - timeline.faultEnd()) / 1e6))
        + "; breaker " + (closedAt != 0
            ? String.format(Locale.ROOT, "CLOSED %.0f ms after the fault end", (closedAt - timeline.faultEnd()) / 1e6)
            : "state at the end: " + RedisFaults.breakerState(r.node))
        + '\n';
  }

  /** The first transition to CLOSED at or after {@code faultEnd}, or 0. */
  private static long closedAfter(Node node, long faultEnd) {
    for (Node.Transition t : node.transitions) {
      if (t.atNanos() >= faultEnd && "CLOSED".equals(t.to())) {
        return t.atNanos();
      }
    }
    return 0;
  }

  /** The checks of one instance in one fault. */
  private static void check(Checks checks, String who, Fault fault, Run r, Tally t, Timeline timeline) {
    checkWarmHits(checks, who, r);
    if (r.node.mode == DegradationMode.GRACEFUL) {
      checks.check(who, "graceful: 0 exceptions thrown to callers", t.errors == 0,
          t.errors + " exceptions" + (t.types.isEmpty() ? "" : " " + t.types));
    } else {
      long coldAndL2During = r.cold.of(Phase.DURING).errors + r.l2.of(Phase.DURING).errors;
      if (fault != Fault.SLOW) { // a stall shorter than the call bound may be waited out
        checks.check(who, "strict: Redis-bound calls fail during the fault",
            coldAndL2During > 0, coldAndL2During + " exceptions from L2-hit and cold-miss calls during the fault");
      }
      checks.check(who, "strict: every exception is a javax.cache.CacheException naming the cache and Redis",
          t.unclear == 0, t.errors + " exceptions, " + t.unclear + " not a CacheException or not naming the cache and"
              + " Redis; types " + t.types);
    }
    checks.check(who, "no call blocked past the call bound " + Node.CALL_BOUND_MS + " ms (+" + RedisFaults.LOADER_MS
            + " ms loader, +" + RedisFaults.SLACK_MS + " ms slack)",
        t.maxNanos / 1e6 <= BOUND_WITH_LOADER + RedisFaults.SLACK_MS,
        String.format(Locale.ROOT, "longest %.1f ms; %d calls > %d ms", t.maxNanos / 1e6, t.overBound, BOUND_WITH_LOADER));
    checks.check(who, "no wrong value returned", t.wrong == 0, t.wrong + " wrong values");
    checkRecovery(checks, who, r, timeline);
  }

  /** L1 warm hits never touch Redis: no exception, no load, no slower during the fault. */
  private static void checkWarmHits(Checks checks, String who, Run r) {
    OpLog.PhaseStats warmBefore = r.warm.of(Phase.BEFORE);
    OpLog.PhaseStats warmDuring = r.warm.of(Phase.DURING);
    checks.check(who, "L1 warm hits during the fault: no exception, no loader call, right values",
        warmDuring.errors == 0 && warmDuring.loaderCalls.get() == 0 && warmDuring.wrongValues == 0
            && warmDuring.calls > 0,
        warmDuring.calls + " calls, " + warmDuring.errors + " exceptions, " + warmDuring.loaderCalls.get()
            + " loader calls, " + warmDuring.wrongValues + " wrong values");
    double p50Before = warmBefore.latencies.p(0.5);
    double p50During = warmDuring.latencies.p(0.5);
    double maxDuring = warmDuring.latencies.maxMillis();
    checks.check(who, "L1 warm-hit latency unchanged: p50 during ≤ 2 × p50 before + 0.05 ms, and max during < "
            + Node.COMMAND_TIMEOUT.toMillis() + " ms (the command timeout: a hit that touched Redis would take that)",
        p50During <= 2 * p50Before + 0.05 && maxDuring < Node.COMMAND_TIMEOUT.toMillis(),
        "p50 " + Samples.ms(p50Before) + " → " + Samples.ms(p50During) + " ms, max during " + Samples.ms(maxDuring)
            + " ms");
  }

  private static void checkRecovery(Checks checks, String who, Run r, Timeline timeline) {
    boolean opened = r.node.transitions.stream().anyMatch(t -> "OPEN".equals(t.to()));
    boolean recovered = r.recoveredAt != 0
        && r.recoveredAt - timeline.faultEnd() <= RedisFaults.RECOVERY_LIMIT.toNanos()
        && "CLOSED".equals(RedisFaults.breakerState(r.node));
    checks.check(who, "recovers by itself: Redis-backed success within " + RedisFaults.RECOVERY_LIMIT.toSeconds()
            + " s of the fault end, breaker closed at the end",
        recovered, (r.recoveredAt == 0 ? "no Redis-backed success" : String.format(Locale.ROOT,
            "first success after %.0f ms", (r.recoveredAt - timeline.faultEnd()) / 1e6))
            + ", breaker " + RedisFaults.breakerState(r.node) + (opened ? "" : " (never opened)"));
  }

  // ---------------------------------------------------------------- time
}
