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
    Row row = new Row(node, label);
    row.warmUp();
    RedisFaults.sleepUntil(row.loadedAt + TTL.toNanos() + 50_000_000L);
    io.layercache.LayerStatistics redisBefore = node.redisStatistics();
    row.readDuringRefresh();
    row.report(sb, notes, redisBefore);
    row.check(checks);
  }

  /** What one reader thread saw while the key was refreshed. */
  private static final class Reader {
    final Samples stale = new Samples();
    final Samples fresh = new Samples();
    long errors;
    long wrong;
    /** Start and end of this reader's slowest stale read. */
    final long[] slowestStale = new long[2];
    String firstError;
  }

  /** One row of the table: one cache (memory + Redis, or memory only) through one refresh. */
  private static final class Row {
    private final Node node;
    private final String label;
    private final String key = "swr-key";
    private final EntryOptions options = EntryOptions.defaults().withTtl(TTL);
    private final AtomicInteger generation = new AtomicInteger(1);
    private final AtomicLong loads = new AtomicLong();
    private final java.util.Queue<Long> loadStarts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Loader<String, String> loader;
    private final Samples warm = new Samples();
    private final List<Reader> readers = new ArrayList<>();
    private final AtomicLong start = new AtomicLong();
    private final AtomicLong firstFresh = new AtomicLong();
    private long loadedAt;
    private long warmWrong;
    private long warmLoads;
    private long refreshLoads;

    Row(Node node, String label) {
      this.node = node;
      this.label = label;
      this.loader = k -> {
        loads.incrementAndGet();
        loadStarts.add(System.nanoTime());
        Thread.sleep(LOADER_MS); // a slow origin
        return "g" + generation.get() + "-" + k;
      };
    }

    /** Loads the key, then reads it 5,000 times while fresh (the first 1,000 unrecorded). */
    void warmUp() {
      node.cache.get(key, loader, options);
      loadedAt = System.nanoTime();
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
      warmLoads = loads.get() - 1;
    }

    /** After the expiry: the loader returns a new value while the readers read for {@link #READ_FOR}. */
    void readDuringRefresh() throws InterruptedException {
      generation.set(2);
      loads.set(0);
      loadStarts.clear();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        Reader reader = new Reader();
        readers.add(reader);
        Thread t = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          read(reader);
        }, "swr-reader-" + r);
        threads.add(t);
        t.start();
      }
      start.set(System.nanoTime());
      go.countDown();
      for (Thread t : threads) {
        t.join(30_000);
      }
      refreshLoads = loads.get();
    }

    private void read(Reader me) {
      long until = start.get() + READ_FOR.toNanos();
      while (System.nanoTime() < until) {
        long t0 = System.nanoTime();
        String v = null;
        try {
          v = node.cache.get(key, loader, options);
        } catch (Throwable e) {
          me.errors++;
          if (me.firstError == null) {
            me.firstError = OpLog.describe(e);
          }
        }
        long took = System.nanoTime() - t0;
        if (("g1-" + key).equals(v)) {
          me.stale.add(took);
          if (took > me.slowestStale[1] - me.slowestStale[0]) {
            me.slowestStale[0] = t0;
            me.slowestStale[1] = t0 + took;
          }
        } else if (("g2-" + key).equals(v)) {
          me.fresh.add(took);
          firstFresh.compareAndSet(0, t0 + took);
        } else if (v != null) {
          me.wrong++;
        }
        LockSupport.parkNanos(20_000L);
      }
    }

    private Samples allStale() {
      Samples all = new Samples();
      readers.forEach(r -> all.addAll(r.stale));
      return all;
    }

    private long errorCount() {
      return readers.stream().mapToLong(r -> r.errors).sum();
    }

    private long wrongCount() {
      return warmWrong + readers.stream().mapToLong(r -> r.wrong).sum();
    }

    private String firstFreshText() {
      return firstFresh.get() == 0 ? "never (within " + READ_FOR.toMillis() + " ms)"
          : String.format(Locale.ROOT, "%.0f ms after the first read", (firstFresh.get() - start.get()) / 1e6);
    }

    void report(StringBuilder sb, StringBuilder notes, io.layercache.LayerStatistics redisBefore) {
      Samples allStale = allStale();
      Samples allFresh = new Samples();
      readers.forEach(r -> allFresh.addAll(r.fresh));
      io.layercache.LayerStatistics redisAfter = node.redisStatistics();
      String redisReads = redisBefore == null ? "– (no Redis layer)"
          : String.valueOf(redisAfter.hits() + redisAfter.misses() - redisBefore.hits() - redisBefore.misses());
      sb.append("| ").append(label).append(" | ").append(warm.summary()).append(" | ").append(allStale.size())
          .append(" | ").append(allStale.summary()).append(" | ").append(allFresh.size()).append(" | ")
          .append(allFresh.summary()).append(" | ").append(redisReads).append(" | ").append(errorCount()).append(" | ")
          .append(refreshLoads).append(" | ").append(firstFreshText()).append(" |\n");
      notes.append(slowestText());
      String first = readers.stream().map(r -> r.firstError).filter(e -> e != null).findFirst().orElse(null);
      if (first != null) {
        sb.append("\nFirst exception (").append(label).append("): `").append(first).append("`\n\n");
      }
    }

    /** When the loader started and the value was written, and the slowest stale read, relative to the first read. */
    private String slowestText() {
      long[] slowest = {0, 0};
      for (Reader r : readers) {
        if (r.slowestStale[1] - r.slowestStale[0] > slowest[1] - slowest[0]) {
          slowest = r.slowestStale;
        }
      }
      long written = node.lastWrittenAt;
      return slowest[1] == 0 ? "" : String.format(Locale.ROOT,
          "%s: loader calls after expiry started at %s ms after the first read; the refreshed value was written at"
              + " %s; the slowest stale read ran from +%.1f to +%.1f ms.%n", label,
          loadStarts.stream().map(t -> String.format(Locale.ROOT, "%+.1f", (t - start.get()) / 1e6))
              .collect(java.util.stream.Collectors.joining(", ")),
          written > start.get() ? String.format(Locale.ROOT, "+%.1f ms", (written - start.get()) / 1e6) : "(not seen)",
          (slowest[0] - start.get()) / 1e6, (slowest[1] - start.get()) / 1e6);
    }

    void check(Checks checks) {
      Samples allStale = allStale();
      String who = SCENARIO + " (" + label + ")";
      checks.check(who, "exactly 1 loader call for the refresh (none while the key was fresh)",
          refreshLoads == 1 && warmLoads == 0, refreshLoads + " after expiry, " + warmLoads + " while fresh");
      checks.check(who, "no reader waited for the " + LOADER_MS + " ms loader: every stale read took < "
              + LOADER_MS + " ms", allStale.size() > 0 && allStale.maxMillis() < LOADER_MS,
          allStale.size() + " stale reads, max " + Samples.ms(allStale.maxMillis()) + " ms");
      checks.check(who, "refreshed value served within the loader time + 300 ms",
          firstFresh.get() != 0 && firstFresh.get() - start.get() <= (LOADER_MS + 300) * 1_000_000L, firstFreshText());
      long errorCount = errorCount();
      long wrongCount = wrongCount();
      checks.check(who, "no exception, no wrong value", errorCount == 0 && wrongCount == 0,
          errorCount + " exceptions, " + wrongCount + " wrong values");
    }
  }
}
