package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.Loader;
import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2, the shape of the seed's {@code bench:slow-redis} table: L1 warm hit, L2 hit and cold
 * miss, strict vs graceful, with a healthy Redis (0 ms) and with Redis stalled by
 * {@code DEBUG SLEEP 0.5} while each call is made (200 ms command timeout).
 */
final class SlowRedisTable {

  static final String SCENARIO = "2 slow-redis";
  private static final String[] ROWS = {"L1 warm hit", "L2 hit (in Redis, not in this L1)", "cold miss (loader 5 ms)"};
  private static final int WARM_KEYS = 50;
  /** Server stalls: none, the seed's 500 ms, and one longer than the layer's call bound. */
  static final int[] STALLS_MS = {0, 500, 1000};
  /** Breaker threshold so high it never opens: every call pays the slow Redis, as in the seed's table. */
  static final int BREAKER_OFF = 1_000_000;

  /** One cell: the calls of one row, mode and delay. */
  private static final class Cell {
    final Samples latencies = new Samples();
    long calls;
    long errors;
    long unclear;
    long wrong;
    final AtomicInteger loads = new AtomicInteger();
    final Map<String, Long> types = new LinkedHashMap<>();
    String firstError;

    synchronized void record(long nanos, Throwable error, boolean wrongValue, String cacheName) {
      calls++;
      latencies.add(nanos);
      if (wrongValue) {
        wrong++;
      }
      if (error != null) {
        errors++;
        types.merge(error.getClass().getSimpleName(), 1L, Long::sum);
        String m = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (!(error instanceof javax.cache.CacheException) || !m.contains(cacheName) || !m.contains("redis")) {
          unclear++;
        }
        if (firstError == null) {
          firstError = OpLog.describe(error);
        }
      }
    }

    String text() {
      return latencies.summary() + " ms · " + calls + " calls · " + errors + " exc"
          + (types.isEmpty() ? "" : " " + types) + " · " + loads.get() + " loads";
    }
  }

  private final RedisServer redis;
  private final int slowRounds;
  private final int l2Keys;
  private final List<Node> nodes = new ArrayList<>();
  private final AtomicInteger[] l2Cursor = {new AtomicInteger(), new AtomicInteger()};
  private final AtomicInteger coldSeq = new AtomicInteger();
  /** cells[delay][row][mode]. */
  private final Cell[][][] cells = new Cell[STALLS_MS.length][ROWS.length][2];
  private final Cell discard = new Cell();

  private SlowRedisTable(RedisServer redis, int slowRounds) {
    this.redis = redis;
    this.slowRounds = slowRounds;
    this.l2Keys = 2 * (300 + 2 * slowRounds) + 50;
    for (Cell[][] byRow : cells) {
      for (Cell[] byMode : byRow) {
        byMode[0] = new Cell();
        byMode[1] = new Cell();
      }
    }
  }

  static String run(RedisServer redis, int slowRounds, Checks checks) throws Exception {
    System.err.println("== " + SCENARIO + ": 0 ms and 500 ms DEBUG SLEEP, strict vs graceful");
    SlowRedisTable table = new SlowRedisTable(redis, slowRounds);
    table.startNodes("slow-redis");
    table.healthyCalls();
    for (int d = 1; d < STALLS_MS.length; d++) {
      for (int row = 0; row < ROWS.length; row++) {
        for (int round = 0; round < slowRounds; round++) {
          table.stallRound(d, row);
        }
      }
    }
    for (Node node : table.nodes) {
      node.close();
    }
    String report = table.report();
    for (int m = 0; m < 2; m++) {
      table.check(checks, m);
    }
    return report;
  }

  /** The L2 keys a third instance writes to Redis, then the strict and the graceful instance with warm keys. */
  private void startNodes(String cacheName) throws Exception {
    RedisFaults.seedL2Keys(redis, cacheName, l2Keys);
    for (DegradationMode mode : List.of(DegradationMode.STRICT, DegradationMode.GRACEFUL)) {
      Node node = Node.create(mode.name().toLowerCase(Locale.ROOT), mode, cacheName,
          Node.memoryAndRedis(redis, mode, BREAKER_OFF, Duration.ofSeconds(2)));
      for (int i = 0; i < WARM_KEYS; i++) {
        node.jcache.put("warm-" + i, Workers.valueOf("warm-" + i));
      }
      nodes.add(node);
    }
  }

  /** 0 ms: a healthy Redis, one call at a time; the first calls of each row are not recorded. */
  private void healthyCalls() {
    for (int m = 0; m < 2; m++) {
      Node node = nodes.get(m);
      for (int i = 0; i < 20_000; i++) {
        call(node, "warm-" + (i % WARM_KEYS), i < 5_000 ? discard : cells[0][0][m]);
      }
      for (int i = 0; i < 300; i++) {
        call(node, l2Key(m), i < 100 ? discard : cells[0][1][m]);
      }
      for (int i = 0; i < 150; i++) {
        call(node, "cold-0-" + node.label + "-" + coldSeq.getAndIncrement(), i < 50 ? discard : cells[0][2][m]);
      }
    }
  }

  /** The next seeded L2 key of instance {@code mode} (each instance has its own half). */
  private String l2Key(int mode) {
    return "l2-" + (mode * l2Keys / 2 + l2Cursor[mode].getAndIncrement());
  }

  /**
   * One round of a stall: Redis is stalled with DEBUG SLEEP; 20 ms later the strict and the
   * graceful instance make their call(s) of {@code row} at the same time.
   */
  private void stallRound(int delay, int row) throws InterruptedException {
    String seconds = String.format(Locale.ROOT, "%.3f", STALLS_MS[delay] / 1000.0);
    Thread sleeper = new Thread(() -> redis.command(Duration.ofSeconds(10), "DEBUG", "SLEEP", seconds), "debug-sleep");
    sleeper.start();
    Thread.sleep(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    for (int m = 0; m < 2; m++) {
      final int mode = m;
      Node node = nodes.get(m);
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        callRow(node, mode, row, delay);
      }, "slow-caller-" + node.label);
      t.start();
      callers.add(t);
    }
    go.countDown();
    for (Thread t : callers) {
      t.join(10_000);
    }
    sleeper.join(10_000);
    Thread.sleep(100); // let Redis drain the replies of the timed-out commands
  }

  private void callRow(Node node, int mode, int row, int delay) {
    Cell cell = cells[delay][row][mode];
    switch (row) {
      case 0 -> {
        for (int i = 0; i < 200; i++) {
          call(node, "warm-" + (i % WARM_KEYS), cell);
        }
      }
      case 1 -> call(node, l2Key(mode), cell);
      default -> call(node, "cold-" + STALLS_MS[delay] + "-" + node.label + "-" + coldSeq.getAndIncrement(), cell);
    }
  }

  /** The section: how it was measured, the table, and each cell's first exception. */
  private String report() {
    StringBuilder sb = new StringBuilder();
    sb.append("Same shape as the seed's `bench:slow-redis` table. Command timeout ")
        .append(Node.COMMAND_TIMEOUT.toMillis()).append(" ms, ").append(Node.RETRY_ATTEMPTS)
        .append(" retry, so the layer's call bound is ").append(Node.CALL_BOUND_MS)
        .append(" ms. Circuit breaker threshold set to ").append(BREAKER_OFF)
        .append(" (never opens) so that every call pays the slow Redis, as in the seed's table (scenario 1c has the"
            + " same stall with a real breaker). 0 ms: a healthy Redis, one call at a time (15 000 warm hits after"
            + " 5 000 unrecorded; 200 L2 hits and 100 cold misses after 100 / 50 unrecorded). Stalls: ")
        .append(slowRounds).append(" rounds per row; each round sends `DEBUG SLEEP` (0.5 s, then 1.0 s: longer than"
            + " the call bound) on its own connection, waits 20 ms, then the strict and the graceful instance call at"
            + " the same time (warm-hit row: 200 hits each per round). The seed injected its delay with a TCP proxy on"
            + " every command; `DEBUG SLEEP` stalls the server once, so a command sent 20 ms into a 500 ms stall waits"
            + " ≈ 480 ms.\n\n");
    sb.append("Cells: p50 / p99 / max ms · calls · exceptions thrown to the caller · loader calls.\n\n");
    table(sb);
    for (int d = 0; d < STALLS_MS.length; d++) {
      for (int row = 0; row < ROWS.length; row++) {
        for (int m = 0; m < 2; m++) {
          Cell c = cells[d][row][m];
          if (c.firstError != null) {
            sb.append("- first exception, ").append(nodes.get(m).label).append(", ").append(STALLS_MS[d])
                .append(" ms, ").append(ROWS[row]).append(": `").append(c.firstError).append("`\n");
          }
        }
      }
    }
    return sb.append('\n').toString();
  }

  private void table(StringBuilder sb) {
    sb.append("|");
    for (int d = 0; d < STALLS_MS.length; d++) {
      for (int m = 0; m < 2; m++) {
        sb.append(" | ").append(nodes.get(m).label).append(", ")
            .append(d == 0 ? "0 ms (healthy)" : STALLS_MS[d] + " ms stall");
      }
    }
    sb.append(" |\n|---").append("|---".repeat(2 * STALLS_MS.length)).append("|\n");
    for (int row = 0; row < ROWS.length; row++) {
      sb.append("| ").append(ROWS[row]);
      for (int d = 0; d < STALLS_MS.length; d++) {
        for (int m = 0; m < 2; m++) {
          sb.append(" | ").append(cells[d][row][m].text());
        }
      }
      sb.append(" |\n");
    }
    sb.append('\n');
  }

  /** The checks of instance {@code m}: warm hits untouched, no exception when healthy, bounded calls under stalls. */
  private void check(Checks checks, int m) {
    String mode = nodes.get(m).label;
    long warmErrors = 0;
    long warmLoads = 0;
    double warmMax = 0;
    long wrong = 0;
    for (int d = 0; d < STALLS_MS.length; d++) {
      Cell warm = cells[d][0][m];
      warmErrors += warm.errors;
      warmLoads += warm.loads.get();
      warmMax = Math.max(warmMax, warm.latencies.maxMillis());
      for (int row = 0; row < ROWS.length; row++) {
        wrong += cells[d][row][m].wrong;
      }
    }
    checks.check(SCENARIO, mode + ": L1 warm hits never fail, never load, max < " + Node.COMMAND_TIMEOUT.toMillis()
            + " ms (all columns)", warmErrors == 0 && warmLoads == 0 && warmMax < Node.COMMAND_TIMEOUT.toMillis(),
        warmErrors + " exc, " + warmLoads + " loads, max " + Samples.ms(warmMax) + " ms");
    long healthyErrors = cells[0][1][m].errors + cells[0][2][m].errors;
    checks.check(SCENARIO, mode + ", 0 ms: no exception", healthyErrors == 0, healthyErrors + " exceptions");
    for (int d = 1; d < STALLS_MS.length; d++) {
      checkStall(checks, m, d);
    }
    checks.check(SCENARIO, mode + ": no wrong value returned", wrong == 0, wrong + " wrong values");
  }

  /** Under stall {@code d}: L2 hits and cold misses bounded; graceful never throws, strict throws clearly. */
  private void checkStall(Checks checks, int m, int d) {
    String mode = nodes.get(m).label;
    long boundWithLoader = Node.CALL_BOUND_MS + RedisFaults.LOADER_MS + RedisFaults.SLACK_MS;
    Cell l2 = cells[d][1][m];
    Cell cold = cells[d][2][m];
    double max = Math.max(l2.latencies.maxMillis(), cold.latencies.maxMillis());
    String stall = STALLS_MS[d] + " ms stall";
    checks.check(SCENARIO, mode + ", " + stall + ": L2-hit and cold-miss calls end within the call bound "
            + Node.CALL_BOUND_MS + " ms (+" + RedisFaults.LOADER_MS + " ms loader, +" + RedisFaults.SLACK_MS
            + " ms slack)", max <= boundWithLoader, "longest " + Samples.ms(max) + " ms");
    long errors = l2.errors + cold.errors;
    if (nodes.get(m).mode == DegradationMode.GRACEFUL) {
      checks.check(SCENARIO, mode + ", " + stall + ": no exception", errors == 0, errors + " exceptions");
      return;
    }
    boolean mustFail = STALLS_MS[d] > Node.CALL_BOUND_MS;
    checks.check(SCENARIO, mode + ", " + stall + ": " + (mustFail
            ? "every call fails (the stall outlasts the call bound) with a CacheException naming the cache and Redis"
            : "any failure is a CacheException naming the cache and Redis"),
        (!mustFail || errors == l2.calls + cold.calls) && l2.unclear + cold.unclear == 0,
        errors + " of " + (l2.calls + cold.calls) + " calls failed, " + (l2.unclear + cold.unclear) + " unclear");
  }

  private static void call(Node node, String key, Cell cell) {
    Loader<String, String> loader = k -> {
      cell.loads.incrementAndGet();
      Thread.sleep(RedisFaults.LOADER_MS); // simulated origin work
      return Workers.valueOf(k);
    };
    long t0 = System.nanoTime();
    String value = null;
    Throwable error = null;
    try {
      value = node.cache.get(key, loader);
    } catch (Throwable e) {
      error = e;
    }
    cell.record(System.nanoTime() - t0, error, error == null && !Workers.valueOf(key).equals(value),
        node.jcache.getName());
  }
}
