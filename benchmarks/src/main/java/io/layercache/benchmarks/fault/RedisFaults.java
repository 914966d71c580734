package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  static final class Run {
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
    int l2Keys = l2KeyCount(faultFor, timing);
    seedL2Keys(redis, cacheName, l2Keys);
    List<Run> runs = startInstances(redis, cacheName);
    Workers workers = new Workers(timeline);
    runs.forEach(r -> startWorkers(workers, r, l2Keys));
    AtomicLong monitorStop = new AtomicLong();
    Thread monitor = recoveryMonitor(timeline, runs, monitorStop);

    sleep(timing.warmup());
    timeline.startRecording();
    sleep(timing.before());
    String faultDetail = inject(redis, fault, faultFor, timeline, runs);
    long stoppedAt = awaitSettled(timeline, timing, runs);
    workers.stop();
    monitorStop.set(1);
    monitor.join();

    String section = RedisFaultsReport.report(fault, scenario, faultFor, timing, faultDetail, timeline, runs, stoppedAt, l2Keys, checks);
    for (Run r : runs) {
      summaryRows.add(summaryRow(fault, faultFor, timeline, r));
    }
    for (Run r : runs) {
      r.node.close();
    }
    return section;
  }

  /** Enough L2 keys for one per L2 call over the whole run, with a margin. */
  private static int l2KeyCount(Duration faultFor, Timing timing) {
    double seconds = timing.warmup().toMillis() / 1e3 + timing.before().toMillis() / 1e3 + faultFor.toMillis() / 1e3
        + timing.maxAfter().toMillis() / 1e3;
    return (int) (seconds * (1e9 / L2_PAUSE_NANOS) * 1.2) + 100;
  }

  /** L2 keys: written to Redis by a third instance, so they are in Redis but in no measured L1. */
  static void seedL2Keys(RedisServer redis, String cacheName, int l2Keys) throws Exception {
    try (Node writer = Node.create("writer", DegradationMode.STRICT, cacheName,
        Node.memoryAndRedis(redis, DegradationMode.STRICT, 5, Duration.ofSeconds(5)))) {
      for (int i = 0; i < l2Keys; i++) {
        writer.jcache.put("l2-" + i, Workers.valueOf("l2-" + i));
      }
    }
  }

  /** The strict and the graceful instance, each with its warm keys in memory. */
  private static List<Run> startInstances(RedisServer redis, String cacheName) {
    List<Run> runs = new ArrayList<>();
    for (DegradationMode mode : List.of(DegradationMode.STRICT, DegradationMode.GRACEFUL)) {
      Node node = Node.create(mode.name().toLowerCase(Locale.ROOT), mode, cacheName,
          Node.memoryAndRedis(redis, mode, BREAKER_FAILURES, BREAK_DURATION));
      for (int i = 0; i < WARM_KEYS; i++) {
        node.jcache.put("warm-" + i, Workers.valueOf("warm-" + i));
      }
      runs.add(new Run(node));
    }
    return runs;
  }

  /** One instance's three paced loops: L1 warm hits, L2 hits (each seeded key once), cold misses. */
  private static void startWorkers(Workers workers, Run r, int l2Keys) {
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

  /** Notes each instance's first Redis-backed success (Redis hit or write) after the fault ended. */
  private static Thread recoveryMonitor(Timeline timeline, List<Run> runs, AtomicLong stop) {
    Thread monitor = new Thread(() -> {
      while (stop.get() == 0) {
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
    return monitor;
  }

  /**
   * After the fault: waits until both instances made a Redis-backed call and their breakers were
   * closed for 2 s (at least {@code minAfter}, at most {@code maxAfter}); returns when it stopped.
   */
  private static long awaitSettled(Timeline timeline, Timing timing, List<Run> runs) {
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
    return System.nanoTime();
  }

  /** Injects the fault; sets the timeline's fault start and end; returns a description of what was done. */
  private static String inject(RedisServer redis, Fault fault, Duration faultFor, Timeline timeline, List<Run> runs)
      throws InterruptedException {
    long pid = redis.pid();
    long start = System.nanoTime();
    timeline.faultStarted(start);
    String detail = switch (fault) {
      case KILL -> killAndRestart(redis, pid, start, faultFor);
      case STOP -> {
        redis.pause();
        sleepUntil(start + faultFor.toNanos());
        redis.resume();
        yield String.format(Locale.ROOT, "start = SIGSTOP of redis-server pid %d; end = SIGCONT sent, %.3f s later",
            pid, (System.nanoTime() - start) / 1e9);
      }
      case SLOW -> stallEverySecond(redis, start, faultFor);
    };
    for (Run r : runs) {
      r.successesAtEnd = r.node.redisSuccesses();
    }
    timeline.faultEnded(System.nanoTime());
    return detail;
  }

  private static String killAndRestart(RedisServer redis, long pid, long start, Duration faultFor)
      throws InterruptedException {
    redis.kill();
    sleepUntil(start + faultFor.toNanos());
    long restartAt = System.nanoTime();
    redis.restart();
    long up = System.nanoTime();
    return String.format(Locale.ROOT,
        "start = SIGKILL of redis-server pid %d; end = the restarted server (pid %d, same port, empty) answered"
            + " PING, %.3f s after the kill (restart took %.0f ms)",
        pid, redis.pid(), (up - start) / 1e9, (up - restartAt) / 1e6);
  }

  private static String stallEverySecond(RedisServer redis, long start, Duration faultFor) throws InterruptedException {
    int sleeps = 0;
    long stalledNanos = 0;
    for (long next = start; next < start + faultFor.toNanos(); next += 1_000_000_000L) {
      sleepUntil(next);
      long s0 = System.nanoTime();
      redis.command(Duration.ofSeconds(5), "DEBUG", "SLEEP", "0.5");
      stalledNanos += System.nanoTime() - s0;
      sleeps++;
    }
    return String.format(Locale.ROOT,
        "start = first DEBUG SLEEP 0.5; %d × DEBUG SLEEP 0.5 at 1 s intervals (server stalled %.2f s in total);"
            + " end = reply to the last one, %.3f s after the start",
        sleeps, stalledNanos / 1e9, (System.nanoTime() - start) / 1e9);
  }

  /** Header of the summary table of scenario 1. */
  static final String SUMMARY_HEADER = "| fault | mode | L1 warm hit p50 before → during, max during (ms) | L2 hit during:"
      + " p50 / p99 / max ms (exceptions / calls) | cold miss during: p50 / p99 / max ms (exceptions / calls) |"
      + " exceptions, all phases | longest call ms | first Redis-backed success after the fault end | breaker"
      + " CLOSED after the fault end |\n|---|---|---|---|---|---:|---:|---|---|\n";

  static String summaryRow(Fault fault, Duration faultFor, Timeline timeline, Run r) {
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

  static String breakerState(Node node) {
    List<Node.Transition> t = node.transitions;
    return t.isEmpty() ? "CLOSED" : t.get(t.size() - 1).to();
  }

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
