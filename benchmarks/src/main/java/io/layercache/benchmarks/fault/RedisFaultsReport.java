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
    sb.append('\n');
    sb.append("| mode | call | phase | calls | exceptions | p50 / p99 / max ms | loader calls |\n");
    sb.append("|---|---|---|---:|---:|---|---:|\n");
    for (Run r : runs) {
      for (OpLog log : r.logs()) {
        for (Phase p : List.of(Phase.BEFORE, Phase.DURING, Phase.AFTER)) {
          OpLog.PhaseStats s = log.of(p);
          sb.append("| ").append(r.node.label).append(" | ").append(log.op).append(" | ").append(p.label)
              .append(" | ").append(s.calls).append(" | ").append(s.errors).append(" | ")
              .append(s.latencies.summary()).append(" | ").append(s.loaderCalls.get()).append(" |\n");
        }
      }
    }
    sb.append('\n');

    long boundWithLoader = Node.CALL_BOUND_MS + RedisFaults.LOADER_MS;
    for (Run r : runs) {
      Node node = r.node;
      boolean graceful = node.mode == DegradationMode.GRACEFUL;
      long errors = 0;
      long errorsDuring = 0;
      long wrong = 0;
      long overBound = 0;
      Map<String, Long> types = new LinkedHashMap<>();
      List<String> firsts = new ArrayList<>();
      Map<String, long[]> messages = new LinkedHashMap<>();
      long maxNanos = -1;
      String maxWhere = "";
      List<String> maxTrace = List.of();
      long unclear = 0;
      for (OpLog log : r.logs()) {
        for (Phase p : List.of(Phase.BEFORE, Phase.DURING, Phase.AFTER)) {
          OpLog.PhaseStats s = log.of(p);
          errors += s.errors;
          if (p == Phase.DURING) {
            errorsDuring += s.errors;
          }
          wrong += s.wrongValues;
          unclear += s.unclearErrors;
          s.errorTypes.forEach((k, v) -> types.merge(k, v, Long::sum));
          if (s.firstError != null) {
            firsts.add(log.op + ", " + p.label + ": `" + s.firstError + "`");
          }
          final Phase phase = p;
          final String op = log.op;
          s.errorMessages.forEach((m, n) -> {
            long[] v = messages.computeIfAbsent(op + ", " + phase.label + " | " + m, k -> new long[2]);
            v[0] += n;
            v[1] = s.errorMessageFirstAt.get(m);
          });
          for (long v : s.latencies.sorted()) {
            if (v / 1e6 > boundWithLoader) {
              overBound++;
            }
          }
          if (s.maxNanos > maxNanos) {
            maxNanos = s.maxNanos;
            maxWhere = log.op + ", " + p.label + " phase, call started at " + timeline.relative(s.maxAt);
            maxTrace = s.maxTrace;
          }
        }
      }
      sb.append("**").append(node.label).append("**\n\n");
      sb.append("- Exceptions thrown to callers: ").append(errors).append(" (").append(errorsDuring)
          .append(" during the fault)").append(types.isEmpty() ? "" : "; by type: " + types).append('\n');
      for (String f : firsts) {
        sb.append("  - first in ").append(f).append('\n');
      }
      if (!messages.isEmpty()) {
        sb.append("  - distinct exceptions (digits folded to N), by call and phase, with count and first occurrence:\n");
        int n = 0;
        for (Map.Entry<String, long[]> e : messages.entrySet()) {
          if (n++ == 16) {
            sb.append("    - … ").append(messages.size() - 16).append(" more\n");
            break;
          }
          String[] parts = e.getKey().split(" \\| ", 2);
          sb.append("    - ").append(parts[0]).append(": ").append(e.getValue()[0]).append("×, first at ")
              .append(timeline.relative(e.getValue()[1])).append(": `").append(parts[1]).append("`\n");
        }
      }
      sb.append(String.format(Locale.ROOT, "- Longest single call: %.1f ms (%s); calls longer than the call bound"
          + " %d ms + %d ms loader: %d%n", maxNanos / 1e6, maxWhere, Node.CALL_BOUND_MS, RedisFaults.LOADER_MS, overBound));
      if (!maxTrace.isEmpty()) {
        sb.append("  - events that call caused, from its start: ").append(String.join("; ", maxTrace)).append('\n');
      }
      sb.append("- Breaker transitions (Redis layer):");
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
      sb.append('\n');
      long closedAt = 0;
      long lastOpenAt = 0;
      for (Node.Transition t : node.transitions) {
        if (t.atNanos() >= timeline.faultEnd() && "CLOSED".equals(t.to()) && closedAt == 0) {
          closedAt = t.atNanos();
        }
        if ("OPEN".equals(t.to())) {
          lastOpenAt = t.atNanos();
        }
      }
      sb.append("- Recovery: first Redis-backed success (a Redis hit or write) ")
          .append(r.recoveredAt == 0 ? "NOT observed" : String.format(Locale.ROOT, "%.0f ms after the fault end",
              (r.recoveredAt - timeline.faultEnd()) / 1e6))
          .append("; breaker ").append(closedAt != 0
              ? String.format(Locale.ROOT, "CLOSED %.0f ms after the fault end", (closedAt - timeline.faultEnd()) / 1e6)
              : "state at the end: " + RedisFaults.breakerState(node))
          .append('\n');
      LayerStatistics rs = node.redisStatistics();
      if (rs != null) {
        sb.append("- Redis layer statistics at the end: hits ").append(rs.hits()).append(", misses ").append(rs.misses())
            .append(", writes ").append(rs.writes()).append(", details ").append(rs.details()).append('\n');
      }
      sb.append('\n');

      // ------------------------------------------------ checks
      String who = scenario + " " + node.label;
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
      if (graceful) {
        checks.check(who, "graceful: 0 exceptions thrown to callers", errors == 0,
            errors + " exceptions" + (types.isEmpty() ? "" : " " + types));
      } else {
        long coldAndL2During = r.cold.of(Phase.DURING).errors + r.l2.of(Phase.DURING).errors;
        if (fault != Fault.SLOW) { // a stall shorter than the call bound may be waited out
          checks.check(who, "strict: Redis-bound calls fail during the fault",
              coldAndL2During > 0, coldAndL2During + " exceptions from L2-hit and cold-miss calls during the fault");
        }
        checks.check(who, "strict: every exception is a javax.cache.CacheException naming the cache and Redis",
            unclear == 0, errors + " exceptions, " + unclear + " not a CacheException or not naming the cache and"
                + " Redis; types " + types);
      }
      checks.check(who, "no call blocked past the call bound " + Node.CALL_BOUND_MS + " ms (+" + RedisFaults.LOADER_MS
              + " ms loader, +" + RedisFaults.SLACK_MS + " ms slack)",
          maxNanos / 1e6 <= boundWithLoader + RedisFaults.SLACK_MS,
          String.format(Locale.ROOT, "longest %.1f ms; %d calls > %d ms", maxNanos / 1e6, overBound, boundWithLoader));
      checks.check(who, "no wrong value returned", wrong == 0, wrong + " wrong values");
      boolean recovered = r.recoveredAt != 0
          && r.recoveredAt - timeline.faultEnd() <= RedisFaults.RECOVERY_LIMIT.toNanos()
          && "CLOSED".equals(RedisFaults.breakerState(node));
      checks.check(who, "recovers by itself: Redis-backed success within " + RedisFaults.RECOVERY_LIMIT.toSeconds()
              + " s of the fault end, breaker closed at the end",
          recovered, (r.recoveredAt == 0 ? "no Redis-backed success" : String.format(Locale.ROOT,
              "first success after %.0f ms", (r.recoveredAt - timeline.faultEnd()) / 1e6))
              + ", breaker " + RedisFaults.breakerState(node) + (lastOpenAt == 0 ? " (never opened)" : ""));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- time
}
