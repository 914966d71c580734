package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCacheConfiguration;
import io.layercache.Loader;
import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 3: fail-safe through an origin outage. K keys cached with a short TTL; the loader then
 * throws for the outage while reader threads read every key continuously; then it recovers.
 */
final class FailSafeOutage {

  static final String SCENARIO = "3 fail-safe outage";

  /** What one reader thread saw. */
  private static final class ReaderStats {
    final Samples outageLatency = new Samples();
    final Samples recoveryLatency = new Samples();
    long outageReads;
    long staleReads;
    long freshBeforeExpiry;
    long outageErrors;
    long recoveryReads;
    long recoveryStale;
    long recoveryFresh;
    long recoveryErrors;
    long wrong;
    String firstError;

    /** Adds what another reader saw. */
    void add(ReaderStats s) {
      outageLatency.addAll(s.outageLatency);
      recoveryLatency.addAll(s.recoveryLatency);
      outageReads += s.outageReads;
      staleReads += s.staleReads;
      freshBeforeExpiry += s.freshBeforeExpiry;
      outageErrors += s.outageErrors;
      recoveryReads += s.recoveryReads;
      recoveryStale += s.recoveryStale;
      recoveryFresh += s.recoveryFresh;
      recoveryErrors += s.recoveryErrors;
      wrong += s.wrong;
      if (firstError == null) {
        firstError = s.firstError;
      }
    }
  }

  private final int keyCount;
  private final Duration ttl;
  private final Duration maxStaleness;
  private final Duration throttle;
  private final Duration outage;
  private final int readerCount;
  private final String[] keys;
  private final EntryOptions options;
  // the origin
  private final AtomicInteger generation = new AtomicInteger(1);
  private final AtomicInteger down = new AtomicInteger(0);
  private final AtomicLong outageCalls = new AtomicLong();
  private final AtomicLong recoveryCalls = new AtomicLong();
  private final AtomicLongArray perKeyOutageCalls;
  private final Loader<String, String> loader;
  // the readers
  private final long[] loadedAt;
  private final AtomicLong recoveryStart = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLongArray firstFreshAt;
  private final AtomicInteger freshKeys = new AtomicInteger();
  private final AtomicInteger stop = new AtomicInteger();
  private final List<ReaderStats> stats = new ArrayList<>();
  // the run
  private long initialLoads;
  private long outageStart;
  private long allFreshAt;

  private FailSafeOutage(int keyCount, Duration ttl, Duration maxStaleness, Duration throttle, Duration outage,
      int readerCount) {
    this.keyCount = keyCount;
    this.ttl = ttl;
    this.maxStaleness = maxStaleness;
    this.throttle = throttle;
    this.outage = outage;
    this.readerCount = readerCount;
    this.keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = "fs-" + i;
    }
    this.options = EntryOptions.defaults().withTtl(ttl);
    this.perKeyOutageCalls = new AtomicLongArray(keyCount);
    this.loadedAt = new long[keyCount];
    this.firstFreshAt = new AtomicLongArray(keyCount);
    this.loader = key -> {
      if (down.get() == 1) {
        outageCalls.incrementAndGet();
        perKeyOutageCalls.incrementAndGet(Integer.parseInt(key.substring(3)));
        throw new IllegalStateException("origin unavailable (simulated outage) for " + key);
      }
      recoveryCalls.incrementAndGet();
      Thread.sleep(RedisFaults.LOADER_MS); // simulated origin work
      return "g" + generation.get() + "-" + key;
    };
  }

  static String run(RedisServer redis, int keyCount, Duration ttl, Duration maxStaleness, Duration throttle,
      Duration outage, int readerCount, Checks checks) throws Exception {
    System.err.printf(Locale.ROOT, "== %s: %d keys, ttl %d ms, throttle %d s, outage %d s%n", SCENARIO, keyCount,
        ttl.toMillis(), throttle.toSeconds(), outage.toSeconds());
    LayerCacheConfiguration<String, String> config =
        Node.memoryAndRedis(redis, DegradationMode.GRACEFUL, RedisFaults.BREAKER_FAILURES, RedisFaults.BREAK_DURATION);
    config.setFailSafe(FailSafeSettings.disabled().enabled(maxStaleness, throttle));
    FailSafeOutage scenario = new FailSafeOutage(keyCount, ttl, maxStaleness, throttle, outage, readerCount);
    try (Node node = Node.create("graceful+fail-safe", DegradationMode.GRACEFUL, "fail-safe", config)) {
      scenario.measure(node);
      ReaderStats all = new ReaderStats();
      scenario.stats.forEach(all::add);
      String report = scenario.report(node, all);
      scenario.check(checks, all);
      return report;
    }
  }

  /** Loads every key, takes the origin down while the readers read, brings it back, waits for fresh values. */
  private void measure(Node node) throws Exception {
    for (int i = 0; i < keyCount; i++) {
      node.cache.get(keys[i], loader, options);
      loadedAt[i] = System.nanoTime();
    }
    initialLoads = recoveryCalls.getAndSet(0);
    outageStart = System.nanoTime();
    down.set(1);
    List<Thread> readers = startReaders(node);
    RedisFaults.sleepUntil(outageStart + outage.toNanos());
    generation.set(2);
    recoveryStart.set(System.nanoTime());
    down.set(0);
    long limit = recoveryStart.get() + throttle.toNanos() + Duration.ofSeconds(10).toNanos();
    while (freshKeys.get() < keyCount && System.nanoTime() < limit) {
      Thread.sleep(5);
    }
    allFreshAt = freshKeys.get() == keyCount ? System.nanoTime() : 0;
    Thread.sleep(500); // a little more reading with the origin healthy
    stop.set(1);
    for (Thread t : readers) {
      t.join(30_000);
    }
  }

  private List<Thread> startReaders(Node node) throws InterruptedException {
    List<Thread> readers = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(readerCount);
    for (int r = 0; r < readerCount; r++) {
      ReaderStats s = new ReaderStats();
      stats.add(s);
      Thread t = new Thread(() -> {
        started.countDown();
        while (stop.get() == 0) {
          for (int i = 0; i < keyCount; i++) {
            read(node, i, s);
          }
          LockSupport.parkNanos(2_000_000L);
        }
      }, "fail-safe-reader-" + r);
      t.setDaemon(true);
      readers.add(t);
      t.start();
    }
    started.await();
    return readers;
  }

  /** One reader's read of key {@code i}, counted by the phase it started in. */
  private void read(Node node, int i, ReaderStats s) {
    long t0 = System.nanoTime();
    boolean recovering = t0 >= recoveryStart.get();
    String value = null;
    Throwable error = null;
    try {
      value = node.cache.get(keys[i], loader, options);
    } catch (Throwable e) {
      error = e;
    }
    long took = System.nanoTime() - t0;
    if (error != null && s.firstError == null) {
      s.firstError = OpLog.describe(error);
    }
    boolean g1 = ("g1-" + keys[i]).equals(value);
    boolean g2 = ("g2-" + keys[i]).equals(value);
    if (error == null && !g1 && !g2) {
      s.wrong++;
    }
    if (!recovering) {
      s.outageReads++;
      s.outageLatency.add(took);
      if (error != null) {
        s.outageErrors++;
      } else if (g1 && t0 > loadedAt[i] + ttl.toNanos()) {
        s.staleReads++;
      } else if (g1) {
        s.freshBeforeExpiry++;
      }
    } else {
      recoveryRead(i, s, took, error, g2);
    }
  }

  private void recoveryRead(int i, ReaderStats s, long took, Throwable error, boolean fresh) {
    s.recoveryReads++;
    s.recoveryLatency.add(took);
    if (error != null) {
      s.recoveryErrors++;
    } else if (fresh) {
      s.recoveryFresh++;
      if (firstFreshAt.get(i) == 0 && firstFreshAt.compareAndSet(i, 0, System.nanoTime())) {
        freshKeys.incrementAndGet();
      }
    } else {
      s.recoveryStale++;
    }
  }

  /** When the first and the last key were first served fresh: {@code {first, last}} ({@code Long.MAX_VALUE, 0} for none). */
  private long[] freshSpan() {
    long firstFresh = Long.MAX_VALUE;
    long lastFresh = 0;
    for (int i = 0; i < keyCount; i++) {
      long f = firstFreshAt.get(i);
      if (f != 0) {
        firstFresh = Math.min(firstFresh, f);
        lastFresh = Math.max(lastFresh, f);
      }
    }
    return new long[] {firstFresh, lastFresh};
  }

  /** The bound on origin calls: K × ⌈outage / throttle⌉ + K, with the configured outage (the measured one is a few ms longer). */
  private long bound() {
    long periods = (outage.toMillis() + throttle.toMillis() - 1) / throttle.toMillis();
    return keyCount * periods + keyCount;
  }

  private String report(Node node, ReaderStats all) {
    long origin = recoveryStart.get();
    long[] fresh = freshSpan();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "Memory + Redis, graceful, fail-safe on (max staleness %s, throttle %d s, no loader timeout). %d keys loaded"
            + " with a %d ms TTL (%d loader calls), then the loader throws `IllegalStateException` for %.1f s while"
            + " %d reader threads read all keys in a loop (`get(key, loader)`, 2 ms pause per pass); then the loader"
            + " recovers and returns new values.%n%n",
        maxStaleness, throttle.toSeconds(), keyCount, ttl.toMillis(), initialLoads, (origin - outageStart) / 1e9,
        readerCount));
    sb.append("| measured | value |\n|---|---|\n");
    sb.append("| reads during the outage | ").append(all.outageReads).append(" |\n");
    sb.append("| … that got the stale (last-known-good) value, after its TTL had run out | ").append(all.staleReads)
        .append(" |\n");
    sb.append("| … that got the value while it was still fresh (first ").append(ttl.toMillis()).append(" ms) | ")
        .append(all.freshBeforeExpiry).append(" |\n");
    sb.append("| exceptions thrown to readers during the outage | ").append(all.outageErrors).append(" |\n");
    sb.append("| read latency during the outage, p50 / p99 / max ms | ").append(all.outageLatency.summary())
        .append(" |\n");
    sb.append(originRows(node));
    sb.append(recoveryRows(all, origin, fresh));
    if (all.firstError != null) {
      sb.append("\nFirst exception: `").append(all.firstError).append("`\n");
    }
    return sb.append('\n').toString();
  }

  /** The origin's calls during the outage against their bound, and the events fail-safe raised. */
  private String originRows(Node node) {
    long perKeyMin = Long.MAX_VALUE;
    long perKeyMax = 0;
    for (int i = 0; i < keyCount; i++) {
      perKeyMin = Math.min(perKeyMin, perKeyOutageCalls.get(i));
      perKeyMax = Math.max(perKeyMax, perKeyOutageCalls.get(i));
    }
    return "| origin (loader) calls during the outage | " + outageCalls.get() + " (per key " + perKeyMin + "–"
        + perKeyMax + ") |\n"
        + String.format(Locale.ROOT, "| bound K × ⌈outage / throttle⌉ + K | %d × ⌈%d s / %d s⌉ + %d = %d |%n",
            keyCount, outage.toSeconds(), throttle.toSeconds(), keyCount, bound())
        + "| FailSafeActivated / LoadFailed events | " + node.failSafeActivations.get() + " / "
        + node.loadFailedEvents.get() + " |\n";
  }

  /** How soon after the origin's recovery fresh values were served, and what the readers saw meanwhile. */
  private String recoveryRows(ReaderStats all, long origin, long[] fresh) {
    StringBuilder sb = new StringBuilder();
    sb.append("| after recovery: first fresh value served | ").append(fresh[0] == Long.MAX_VALUE ? "never"
        : String.format(Locale.ROOT, "%.0f ms after the loader recovered", (fresh[0] - origin) / 1e6)).append(" |\n");
    sb.append("| after recovery: all ").append(keyCount).append(" keys served fresh | ").append(allFreshAt == 0
        ? "NOT within " + (throttle.toSeconds() + 10) + " s (" + freshKeys.get() + " keys fresh)"
        : String.format(Locale.ROOT, "%.0f ms after the loader recovered", (fresh[1] - origin) / 1e6))
        .append(" (expected ≤ throttle ").append(throttle.toSeconds()).append(" s) |\n");
    sb.append("| reads after recovery (until all fresh + 0.5 s): stale / fresh / exceptions | ").append(all.recoveryStale)
        .append(" / ").append(all.recoveryFresh).append(" / ").append(all.recoveryErrors).append(" |\n");
    sb.append("| loader calls after recovery | ").append(recoveryCalls.get()).append(" |\n");
    sb.append("| wrong values | ").append(all.wrong).append(" |\n");
    return sb.toString();
  }

  private void check(Checks checks, ReaderStats all) {
    long origin = recoveryStart.get();
    long lastFresh = freshSpan()[1];
    long bound = bound();
    checks.check(SCENARIO, "0 exceptions during the outage and after", all.outageErrors + all.recoveryErrors == 0,
        all.outageErrors + " during, " + all.recoveryErrors + " after");
    checks.check(SCENARIO, "stale values served during the outage", all.staleReads > 0, all.staleReads + " stale reads");
    checks.check(SCENARIO, "origin calls during the outage ≤ K × ⌈outage / throttle⌉ + K",
        outageCalls.get() <= bound, outageCalls.get() + " ≤ " + bound);
    checks.check(SCENARIO, "all keys fresh within the throttle (+1 s) after the loader recovers",
        allFreshAt != 0 && lastFresh - origin <= throttle.toNanos() + 1_000_000_000L,
        allFreshAt == 0 ? freshKeys.get() + " of " + keyCount + " keys fresh"
            : String.format(Locale.ROOT, "%.0f ms", (lastFresh - origin) / 1e6));
    checks.check(SCENARIO, "no wrong value returned", all.wrong == 0, all.wrong + " wrong values");
  }
}
