package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.EntryOptions;
import io.layercache.LayerCacheConfiguration;
import io.layercache.Loader;
import io.layercache.RefreshSettings;
import io.layercache.ResilienceSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 4: stale-while-revalidate. An expired key inside the SWR window, a slow loader: reads
 * while the one background refresh runs, compared with warm L1 hits of the same key.
 */
final class StaleWhileRevalidate {

  static final String SCENARIO = "4 stale-while-revalidate";
  static final Duration TTL = Duration.ofSeconds(1);
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final long LOADER_MS = 200;
  static final int READERS = 4;
  static final Duration READ_FOR = Duration.ofMillis(600);

  private StaleWhileRevalidate() {}

  static String run(RedisServer redis, Checks checks) throws Exception {
    System.err.println("== " + SCENARIO);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "Key written by `get(key, loader)` with a %d ms TTL, SWR window %d s, loader sleeping %d ms. Warm hits: 4 000"
            + " reads of the key while fresh (1 000 more unrecorded before). Then, 50 ms after it expired, %d reader"
            + " threads read it in a loop for %d ms (20 µs pause) while the loader returns a new value; a read is"
            + " \"stale\" if it got the old value, \"fresh\" if the refreshed one.%n%n",
        TTL.toMillis(), WINDOW.toSeconds(), LOADER_MS, READERS, READ_FOR.toMillis()));
    sb.append("| layers | warm L1 hit p50 / p99 / max ms | stale reads during the refresh | their p50 / p99 / max ms"
        + " | fresh reads after it | their p50 / p99 / max ms | Redis reads (layer hits + misses) in the window"
        + " | exceptions | loader calls after expiry | refreshed value first served |\n");
    sb.append("|---|---|---:|---|---:|---|---:|---:|---:|---|\n");
    StringBuilder notes = new StringBuilder();
    for (boolean withRedis : new boolean[] {true, false}) {
      LayerCacheConfiguration<String, String> config;
      if (withRedis) {
        config = Node.memoryAndRedis(redis, DegradationMode.GRACEFUL, RedisFaults.BREAKER_FAILURES,
            RedisFaults.BREAK_DURATION);
      } else {
        config = new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
            .setLayers(MemoryLayerSpec.defaults());
        config.setResilience(ResilienceSettings.defaults().withMode(DegradationMode.GRACEFUL));
      }
      config.setRefresh(RefreshSettings.staleWhileRevalidate(WINDOW));
      String label = withRedis ? "memory + Redis" : "memory only";
      try (Node node = Node.create(withRedis ? "swr-redis" : "swr-memory", DegradationMode.GRACEFUL,
          withRedis ? "swr" : "swr-memory", config)) {
        row(node, label, sb, notes, checks);
      }
    }
    sb.append('\n').append(notes.toString().replace("\n", "\n\n"));
    return sb.toString();
  }

  private static void row(Node node, String label, StringBuilder sb, StringBuilder notes, Checks checks)
      throws Exception {
    EntryOptions options = EntryOptions.defaults().withTtl(TTL);
    AtomicInteger generation = new AtomicInteger(1);
    AtomicLong loads = new AtomicLong();
    java.util.Queue<Long> loadStarts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    Loader<String, String> loader = key -> {
      loads.incrementAndGet();
      loadStarts.add(System.nanoTime());
      Thread.sleep(LOADER_MS); // a slow origin
      return "g" + generation.get() + "-" + key;
    };
    String key = "swr-key";
    node.cache.get(key, loader, options);
    long loadedAt = System.nanoTime();
    Samples warm = new Samples();
    long warmWrong = 0;
    for (int i = 0; i < 5_000; i++) {
      long t0 = System.nanoTime();
      String v = node.cache.get(key, loader, options);
      long took = System.nanoTime() - t0;
      if (i >= 1_000) {
        warm.add(took);
      }
      if (!("g1-" + key).equals(v)) {
        warmWrong++;
      }
    }
    long warmLoads = loads.get() - 1;
    RedisFaults.sleepUntil(loadedAt + TTL.toNanos() + 50_000_000L);

    generation.set(2);
    loads.set(0);
    loadStarts.clear();
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong start = new AtomicLong();
    AtomicLong firstFresh = new AtomicLong();
    Samples[] stale = new Samples[READERS];
    Samples[] fresh = new Samples[READERS];
    long[] errors = new long[READERS];
    long[] wrong = new long[READERS];
    long[][] slowestStale = new long[READERS][2]; // start, end of each reader's slowest stale read
    String[] firstError = new String[READERS];
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < READERS; r++) {
      final int me = r;
      stale[r] = new Samples();
      fresh[r] = new Samples();
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long until = start.get() + READ_FOR.toNanos();
        while (System.nanoTime() < until) {
          long t0 = System.nanoTime();
          String v = null;
          try {
            v = node.cache.get(key, loader, options);
          } catch (Throwable e) {
            errors[me]++;
            if (firstError[me] == null) {
              firstError[me] = OpLog.describe(e);
            }
          }
          long took = System.nanoTime() - t0;
          if (("g1-" + key).equals(v)) {
            stale[me].add(took);
            if (took > slowestStale[me][1] - slowestStale[me][0]) {
              slowestStale[me][0] = t0;
              slowestStale[me][1] = t0 + took;
            }
          } else if (("g2-" + key).equals(v)) {
            fresh[me].add(took);
            firstFresh.compareAndSet(0, t0 + took);
          } else if (v != null) {
            wrong[me]++;
          }
          LockSupport.parkNanos(20_000L);
        }
      }, "swr-reader-" + r);
      threads.add(t);
      t.start();
    }
    io.layercache.LayerStatistics redisBefore = node.redisStatistics();
    start.set(System.nanoTime());
    go.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }
    Samples allStale = new Samples();
    Samples allFresh = new Samples();
    long errorCount = 0;
    long wrongCount = warmWrong;
    String first = null;
    for (int r = 0; r < READERS; r++) {
      allStale.addAll(stale[r]);
      allFresh.addAll(fresh[r]);
      errorCount += errors[r];
      wrongCount += wrong[r];
      if (first == null) {
        first = firstError[r];
      }
    }
    long refreshLoads = loads.get();
    long[] slowest = {0, 0};
    for (long[] candidate : slowestStale) {
      if (candidate[1] - candidate[0] > slowest[1] - slowest[0]) {
        slowest = candidate;
      }
    }
    long written = node.lastWrittenAt;
    String slowestText = slowest[1] == 0 ? "" : String.format(Locale.ROOT,
        "%s: loader calls after expiry started at %s ms after the first read; the refreshed value was written at"
            + " %s; the slowest stale read ran from +%.1f to +%.1f ms.%n", label,
        loadStarts.stream().map(t -> String.format(Locale.ROOT, "%+.1f", (t - start.get()) / 1e6))
            .collect(java.util.stream.Collectors.joining(", ")),
        written > start.get() ? String.format(Locale.ROOT, "+%.1f ms", (written - start.get()) / 1e6) : "(not seen)",
        (slowest[0] - start.get()) / 1e6, (slowest[1] - start.get()) / 1e6);
    io.layercache.LayerStatistics redisAfter = node.redisStatistics();
    String redisReads = redisBefore == null ? "– (no Redis layer)"
        : String.valueOf(redisAfter.hits() + redisAfter.misses() - redisBefore.hits() - redisBefore.misses());
    String firstFreshText = firstFresh.get() == 0 ? "never (within " + READ_FOR.toMillis() + " ms)"
        : String.format(Locale.ROOT, "%.0f ms after the first read", (firstFresh.get() - start.get()) / 1e6);
    sb.append("| ").append(label).append(" | ").append(warm.summary()).append(" | ").append(allStale.size())
        .append(" | ").append(allStale.summary()).append(" | ").append(allFresh.size()).append(" | ")
        .append(allFresh.summary()).append(" | ").append(redisReads).append(" | ").append(errorCount).append(" | ").append(refreshLoads)
        .append(" | ").append(firstFreshText).append(" |\n");
    notes.append(slowestText);
    if (first != null) {
      sb.append("\nFirst exception (").append(label).append("): `").append(first).append("`\n\n");
    }

    String who = SCENARIO + " (" + label + ")";
    checks.check(who, "exactly 1 loader call for the refresh (none while the key was fresh)",
        refreshLoads == 1 && warmLoads == 0, refreshLoads + " after expiry, " + warmLoads + " while fresh");
    checks.check(who, "no reader waited for the " + LOADER_MS + " ms loader: every stale read took < "
            + LOADER_MS + " ms", allStale.size() > 0 && allStale.maxMillis() < LOADER_MS,
        allStale.size() + " stale reads, max " + Samples.ms(allStale.maxMillis()) + " ms");
    checks.check(who, "refreshed value served within the loader time + 300 ms",
        firstFresh.get() != 0 && firstFresh.get() - start.get() <= (LOADER_MS + 300) * 1_000_000L, firstFreshText);
    checks.check(who, "no exception, no wrong value", errorCount == 0 && wrongCount == 0,
        errorCount + " exceptions, " + wrongCount + " wrong values");
  }
}
