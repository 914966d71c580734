package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.LayerStatistics;
import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1: real Redis faults (SIGKILL + restart, SIGSTOP + SIGCONT, repeated DEBUG SLEEP)
 * against a strict and a graceful instance at the same time, each running L1 warm hits, L2 hits
 * and cold misses in paced loops before, during and after the fault.
 */
final class RedisFaults {

  enum Fault {
    KILL("1a", "kill -9 redis-server, restart it (empty) after the fault window"),
    STOP("1b", "SIGSTOP redis-server, SIGCONT after the fault window (frozen server, TCP stays open)"),
    SLOW("1c", "DEBUG SLEEP 0.5 s issued every 1 s during the fault window (slow Redis: stalled half the time)");

    final String id;
    final String description;

    Fault(String id, String description) {
      this.id = id;
      this.description = description;
    }
  }

  static final int BREAKER_FAILURES = 3;
  static final Duration BREAK_DURATION = Duration.ofSeconds(2);
  static final long LOADER_MS = 5;
  /** Scheduling slack allowed on top of the call bound: 2 busy cores. */
  static final long SLACK_MS = 100;
  static final int WARM_KEYS = 200;
  static final long WARM_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  static final long COLD_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  static final long L2_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  static final Duration RECOVERY_LIMIT = Duration.ofSeconds(15);

  /** Durations of the phases (the fault window is per fault). */
  record Timing(Duration warmup, Duration before, Duration minAfter, Duration maxAfter) {}

  private static final String[] OPS = {"L1 warm hit", "L2 hit", "cold miss"};

  /** The calls of one instance. */
  private static final class Run {
    final Node node;
    final OpLog warm;
    final OpLog l2;
    final OpLog cold;
    final AtomicInteger l2Cursor = new AtomicInteger();
    final AtomicInteger coldSeq = new AtomicInteger();
    volatile long l2ExhaustedAt;
    volatile long successesAtEnd;
    volatile long recoveredAt;

    Run(Node node) {
      this.node = node;
      String name = node.jcache.getName();
      warm = new OpLog(OPS[0], name);
      l2 = new OpLog(OPS[1], name);
      cold = new OpLog(OPS[2], name);
    }

    List<OpLog> logs() {
      return List.of(warm, l2, cold);
    }
  }

  private RedisFaults() {}

  static String run(RedisServer redis, Fault fault, Duration faultFor, Timing timing, Checks checks,
      List<String> summaryRows) throws Exception {
    String cacheName = "fault-" + fault.name().toLowerCase(Locale.ROOT);
    String scenario = fault.id + " " + fault.name().toLowerCase(Locale.ROOT);
    Timeline timeline = new Timeline();
    System.err.printf(Locale.ROOT, "== %s: %s, fault window %d s%n", scenario, fault.description, faultFor.toSeconds());

    // L2 keys: written to Redis by a third instance, so they are in Redis but in no measured L1.
    double seconds = timing.warmup().toMillis() / 1e3 + timing.before().toMillis() / 1e3 + faultFor.toMillis() / 1e3
        + timing.maxAfter().toMillis() / 1e3;
    int l2Keys = (int) (seconds * (1e9 / L2_PAUSE_NANOS) * 1.2) + 100;
    try (Node writer = Node.create("writer", DegradationMode.STRICT, cacheName,
        Node.memoryAndRedis(redis, DegradationMode.STRICT, 5, Duration.ofSeconds(5)))) {
      for (int i = 0; i < l2Keys; i++) {
        writer.jcache.put("l2-" + i, Workers.valueOf("l2-" + i));
      }
    }

    List<Run> runs = new ArrayList<>();
    for (DegradationMode mode : List.of(DegradationMode.STRICT, DegradationMode.GRACEFUL)) {
      Node node = Node.create(mode.name().toLowerCase(Locale.ROOT), mode, cacheName,
          Node.memoryAndRedis(redis, mode, BREAKER_FAILURES, BREAK_DURATION));
      for (int i = 0; i < WARM_KEYS; i++) {
        node.jcache.put("warm-" + i, Workers.valueOf("warm-" + i));
      }
      runs.add(new Run(node));
    }

    Workers workers = new Workers(timeline);
    for (Run r : runs) {
      String m = r.node.label;
      workers.start(m + "-warm", r.node.cache, r.warm,
          () -> "warm-" + ThreadLocalRandom.current().nextInt(WARM_KEYS), LOADER_MS, WARM_PAUSE_NANOS);
      workers.start(m + "-l2", r.node.cache, r.node, r.l2, () -> {
        int i = r.l2Cursor.getAndIncrement();
        if (i >= l2Keys) {
          if (r.l2ExhaustedAt == 0) {
            r.l2ExhaustedAt = System.nanoTime();
          }
          return null;
        }
        return "l2-" + i;
      }, LOADER_MS, L2_PAUSE_NANOS);
      workers.start(m + "-cold", r.node.cache, r.node, r.cold,
          () -> "cold-" + m + "-" + r.coldSeq.getAndIncrement(), LOADER_MS, COLD_PAUSE_NANOS);
    }

    // Recovery monitor: first Redis-backed success (Redis hit or write) after the fault ended.
    AtomicLong monitorStop = new AtomicLong();
    Thread monitor = new Thread(() -> {
      while (monitorStop.get() == 0) {
        if (timeline.ended()) {
          for (Run r : runs) {
            if (r.recoveredAt == 0 && r.node.redisSuccesses() > r.successesAtEnd) {
              r.recoveredAt = System.nanoTime();
            }
          }
        }
        sleepMillis(2);
      }
    }, "recovery-monitor");
    monitor.setDaemon(true);
    monitor.start();

    sleep(timing.warmup());
    timeline.startRecording();
    sleep(timing.before());

    String faultDetail = inject(redis, fault, faultFor, timeline, runs);

    // After the fault: until both instances made a Redis-backed call and their breakers are closed.
    long end = timeline.faultEnd();
    long minEnd = end + timing.minAfter().toNanos();
    long maxEnd = end + timing.maxAfter().toNanos();
    long settledAt = 0;
    while (System.nanoTime() < maxEnd) {
      boolean settled = runs.stream().allMatch(r -> r.recoveredAt != 0 && "CLOSED".equals(breakerState(r.node)));
      if (settled && settledAt == 0) {
        settledAt = System.nanoTime();
      }
      if (settledAt != 0 && System.nanoTime() >= Math.max(minEnd, settledAt + 2_000_000_000L)) {
        break;
      }
      sleepMillis(50);
    }
    long stoppedAt = System.nanoTime();
    workers.stop();
    monitorStop.set(1);
    monitor.join();

    String section = report(fault, scenario, faultFor, timing, faultDetail, timeline, runs, stoppedAt, l2Keys, checks);
    for (Run r : runs) {
      summaryRows.add(summaryRow(fault, faultFor, timeline, r));
    }
    for (Run r : runs) {
      r.node.close();
    }
    return section;
  }

  /** Injects the fault; sets the timeline's fault start and end; returns a description of what was done. */
  private static String inject(RedisServer redis, Fault fault, Duration faultFor, Timeline timeline, List<Run> runs)
      throws InterruptedException {
    long pid = redis.pid();
    long start = System.nanoTime();
    timeline.faultStarted(start);
    String detail;
    switch (fault) {
      case KILL -> {
        redis.kill();
        sleepUntil(start + faultFor.toNanos());
        long restartAt = System.nanoTime();
        redis.restart();
        long up = System.nanoTime();
        detail = String.format(Locale.ROOT,
            "start = SIGKILL of redis-server pid %d; end = the restarted server (pid %d, same port, empty) answered"
                + " PING, %.3f s after the kill (restart took %.0f ms)",
            pid, redis.pid(), (up - start) / 1e9, (up - restartAt) / 1e6);
      }
      case STOP -> {
        redis.pause();
        sleepUntil(start + faultFor.toNanos());
        redis.resume();
        detail = String.format(Locale.ROOT, "start = SIGSTOP of redis-server pid %d; end = SIGCONT sent, %.3f s later",
            pid, (System.nanoTime() - start) / 1e9);
      }
      case SLOW -> {
        int sleeps = 0;
        long stalledNanos = 0;
        for (long next = start; next < start + faultFor.toNanos(); next += 1_000_000_000L) {
          sleepUntil(next);
          long s0 = System.nanoTime();
          redis.command(Duration.ofSeconds(5), "DEBUG", "SLEEP", "0.5");
          stalledNanos += System.nanoTime() - s0;
          sleeps++;
        }
        detail = String.format(Locale.ROOT,
            "start = first DEBUG SLEEP 0.5; %d × DEBUG SLEEP 0.5 at 1 s intervals (server stalled %.2f s in total);"
                + " end = reply to the last one, %.3f s after the start",
            sleeps, stalledNanos / 1e9, (System.nanoTime() - start) / 1e9);
      }
      default -> throw new IllegalStateException(fault.name());
    }
    for (Run r : runs) {
      r.successesAtEnd = r.node.redisSuccesses();
    }
    timeline.faultEnded(System.nanoTime());
    return detail;
  }

  /** Header of the summary table of scenario 1. */
  static final String SUMMARY_HEADER = "| fault | mode | L1 warm hit p50 before → during, max during (ms) | L2 hit during:"
      + " p50 / p99 / max ms (exceptions / calls) | cold miss during: p50 / p99 / max ms (exceptions / calls) |"
      + " exceptions, all phases | longest call ms | first Redis-backed success after the fault end | breaker"
      + " CLOSED after the fault end |\n|---|---|---|---|---|---:|---:|---|---|\n";

  private static String summaryRow(Fault fault, Duration faultFor, Timeline timeline, Run r) {
    long errors = 0;
    long max = 0;
    for (OpLog log : r.logs()) {
      for (Phase p : List.of(Phase.BEFORE, Phase.DURING, Phase.AFTER)) {
        errors += log.of(p).errors;
        max = Math.max(max, log.of(p).maxNanos);
      }
    }
    long closedAt = 0;
    boolean opened = false;
    for (Node.Transition t : r.node.transitions) {
      opened |= "OPEN".equals(t.to());
      if (closedAt == 0 && t.atNanos() >= timeline.faultEnd() && "CLOSED".equals(t.to())) {
        closedAt = t.atNanos();
      }
    }
    OpLog.PhaseStats wb = r.warm.of(Phase.BEFORE);
    OpLog.PhaseStats wd = r.warm.of(Phase.DURING);
    OpLog.PhaseStats l2 = r.l2.of(Phase.DURING);
    OpLog.PhaseStats cold = r.cold.of(Phase.DURING);
    return "| " + fault.name().toLowerCase(Locale.ROOT) + " " + faultFor.toSeconds() + " s | " + r.node.label + " | "
        + Samples.ms(wb.latencies.p(0.5)) + " → " + Samples.ms(wd.latencies.p(0.5)) + ", max "
        + Samples.ms(wd.latencies.maxMillis()) + " | " + l2.latencies.summary() + " (" + l2.errors + " / " + l2.calls
        + ") | " + cold.latencies.summary() + " (" + cold.errors + " / " + cold.calls + ") | " + errors + " | "
        + Samples.ms(max / 1e6) + " | "
        + (r.recoveredAt == 0 ? "not observed" : String.format(Locale.ROOT, "%.0f ms",
            (r.recoveredAt - timeline.faultEnd()) / 1e6)) + " | "
        + (closedAt != 0 ? String.format(Locale.ROOT, "%.0f ms", (closedAt - timeline.faultEnd()) / 1e6)
            : opened ? "still " + breakerState(r.node) : "never opened") + " |\n";
  }

  private static String breakerState(Node node) {
    List<Node.Transition> t = node.transitions;
    return t.isEmpty() ? "CLOSED" : t.get(t.size() - 1).to();
  }

  // ---------------------------------------------------------------- report

  private static String report(Fault fault, String scenario, Duration faultFor, Timing timing, String faultDetail,
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

    long boundWithLoader = Node.CALL_BOUND_MS + LOADER_MS;
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
          + " %d ms + %d ms loader: %d%n", maxNanos / 1e6, maxWhere, Node.CALL_BOUND_MS, LOADER_MS, overBound));
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
              : "state at the end: " + breakerState(node))
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
      checks.check(who, "no call blocked past the call bound " + Node.CALL_BOUND_MS + " ms (+" + LOADER_MS
              + " ms loader, +" + SLACK_MS + " ms slack)",
          maxNanos / 1e6 <= boundWithLoader + SLACK_MS,
          String.format(Locale.ROOT, "longest %.1f ms; %d calls > %d ms", maxNanos / 1e6, overBound, boundWithLoader));
      checks.check(who, "no wrong value returned", wrong == 0, wrong + " wrong values");
      boolean recovered = r.recoveredAt != 0
          && r.recoveredAt - timeline.faultEnd() <= RECOVERY_LIMIT.toNanos()
          && "CLOSED".equals(breakerState(node));
      checks.check(who, "recovers by itself: Redis-backed success within " + RECOVERY_LIMIT.toSeconds()
              + " s of the fault end, breaker closed at the end",
          recovered, (r.recoveredAt == 0 ? "no Redis-backed success" : String.format(Locale.ROOT,
              "first success after %.0f ms", (r.recoveredAt - timeline.faultEnd()) / 1e6))
              + ", breaker " + breakerState(node) + (lastOpenAt == 0 ? " (never opened)" : ""));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- time

  static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleepUntil(long nanoDeadline) throws InterruptedException {
    long left;
    while ((left = nanoDeadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
    }
  }
}
