package io.layercache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;

/**
 * Cache stampede (thundering herd) on one key: each round the key is invalidated (as if it had
 * expired), then N caller threads, released together by a {@link CyclicBarrier}, all read it
 * through a loader that sleeps {@code --load-ms} and counts its invocations. With load-once
 * semantics every round makes exactly one loader call and all callers get its value.
 *
 * <p>LayerCache ({@code LayerCache.get(key, loader)}) is required to load once per round (the
 * program exits with status 1 otherwise). The peers are measured the same way for comparison:
 * raw Caffeine {@code Cache.get(key, mappingFunction)} and the JCache providers in read-through
 * mode ({@code Cache.get} with a {@code CacheLoader}, {@code Cache.remove} to invalidate).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.StampedeBenchmark \
 *     [--callers 75,500] [--rounds 50] [--warmup-rounds 5] [--load-ms 5] \
 *     [--impl layercache,raw-caffeine,caffeine-jcache,cache2k-jcache,ehcache-jcache] [--out FILE]
 * </pre>
 */
public final class StampedeBenchmark {

  private static final String KEY = "hot-key";

  private static final AtomicInteger LOADS = new AtomicInteger();
  private static volatile long loadMillis = 5;
  private static volatile String currentValue = "none";

  private StampedeBenchmark() {}

  /** The loader shared by every implementation: counts, simulates 5 ms of work, returns the round's value. */
  static String load(String key) throws InterruptedException {
    LOADS.incrementAndGet();
    Thread.sleep(loadMillis); // simulated work inside the loader, not a wait for a condition
    return currentValue;
  }

  static String loadUnchecked(String key) {
    try {
      return load(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + key, e);
    }
  }

  // ---------------------------------------------------------------- measurement

  /** Outcome of all rounds of one impl at one caller count. */
  static final class Outcome {
    final String impl;
    final int callers;
    final int[] loadsPerRound;
    final long[] latenciesNanos;
    int samples;
    int wrongValues;
    int errors;
    String firstError;

    Outcome(String impl, int callers, int rounds) {
      this.impl = impl;
      this.callers = callers;
      this.loadsPerRound = new int[rounds];
      this.latenciesNanos = new long[rounds * callers];
    }

    int roundsNotOne() {
      int n = 0;
      for (int l : loadsPerRound) {
        if (l != 1) {
          n++;
        }
      }
      return n;
    }

    boolean ok() {
      return roundsNotOne() == 0 && wrongValues == 0 && errors == 0;
    }
  }

  static Outcome run(
      String impl, int callers, int rounds, int warmupRounds, ExecutorService pool)
      throws InterruptedException {
    Outcome out = new Outcome(impl, callers, rounds);
    try (StampedeTarget target = StampedeTargets.create(impl)) {
      for (int round = -warmupRounds; round < rounds; round++) {
        String expected = "value-" + impl + "-" + callers + "-" + round;
        target.invalidate(KEY);
        currentValue = expected;
        LOADS.set(0);
        List<Future<Long>> futures = releaseTogether(target, callers, expected, pool);
        for (Future<Long> f : futures) {
          collect(out, impl, round, f);
        }
        if (round >= 0) {
          out.loadsPerRound[round] = LOADS.get();
        }
      }
    }
    return out;
  }

  /** Submits {@code callers} reads of the key, released together by a barrier; each returns its latency. */
  private static List<Future<Long>> releaseTogether(StampedeTarget target, int callers, String expected,
      ExecutorService pool) {
    CyclicBarrier barrier = new CyclicBarrier(callers);
    List<Future<Long>> futures = new ArrayList<>(callers);
    for (int i = 0; i < callers; i++) {
      futures.add(pool.submit(() -> {
        barrier.await(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        String v = target.get(KEY);
        long dt = System.nanoTime() - t0;
        if (!expected.equals(v)) {
          throw new WrongValue(v, expected);
        }
        return dt;
      }));
    }
    return futures;
  }

  /** One caller's result: its latency, or its wrong value or error (counted in measured rounds only). */
  private static void collect(Outcome out, String impl, int round, Future<Long> f) throws InterruptedException {
    long dt;
    try {
      dt = f.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (round >= 0) {
        if (cause instanceof WrongValue) {
          out.wrongValues++;
        } else {
          out.errors++;
        }
        if (out.firstError == null) {
          out.firstError = String.valueOf(cause);
        }
      }
      if (cause instanceof BrokenBarrierException || cause instanceof TimeoutException) {
        // the callers were not released together: the round is not a stampede, stop
        throw new IllegalStateException(impl + ": callers could not be released together", e);
      }
      return;
    } catch (TimeoutException e) {
      throw new IllegalStateException(impl + ": a caller did not finish in 120 s", e);
    }
    if (round >= 0) {
      out.latenciesNanos[out.samples++] = dt;
    }
  }

  static final class WrongValue extends Exception {
    private static final long serialVersionUID = 1L;

    WrongValue(String got, String expected) {
      super("got " + got + ", expected " + expected);
    }
  }

  private static double percentileMillis(long[] sorted, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.ceil(p * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, idx))] / 1e6;
  }

  private static String describeLoads(int[] loads) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < loads.length) {
      int j = i;
      while (j < loads.length && loads[j] == loads[i]) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(loads[i]);
      if (j - i > 1) {
        sb.append(" ×").append(j - i);
      }
      i = j;
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- main

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (options == null) {
      return; // --help printed
    }
    List<Outcome> outcomes = runAll(options);
    String table = report(outcomes, options);
    System.out.println(table);
    if (options.out() != null) {
      if (options.out().getParent() != null) {
        Files.createDirectories(options.out().getParent());
      }
      Files.writeString(options.out(), table, StandardCharsets.UTF_8);
      System.out.println("(written to " + options.out() + ")");
    }
    if (outcomes.stream().anyMatch(o -> Impls.LAYERCACHE.equals(o.impl) && !o.ok())) {
      System.out.println("FAIL: layercache did not load exactly once per round with correct values");
      System.exit(1);
    }
  }

  /** The command line: caller counts, rounds, warm-up rounds, implementations, output file. */
  private record Options(int[] callerCounts, int rounds, int warmupRounds, List<String> impls, Path out) {

    /** The options, or null after printing the usage for {@code --help}; sets the loader's sleep ({@code --load-ms}). */
    static Options parse(String[] args) {
      int[] callerCounts = {75, 500};
      int rounds = 50;
      int warmupRounds = 5;
      List<String> impls = List.of(Impls.LAYERCACHE, Impls.RAW_CAFFEINE, Impls.CAFFEINE_JCACHE, Impls.CACHE2K_JCACHE,
          Impls.EHCACHE_JCACHE);
      Path out = null;
      for (int i = 0; i < args.length; i += 2) {
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--callers" -> callerCounts = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
          case "--rounds" -> rounds = Integer.parseInt(v);
          case "--warmup-rounds" -> warmupRounds = Integer.parseInt(v);
          case "--load-ms" -> loadMillis = Long.parseLong(v);
          case "--impl" -> impls = List.of(v.split(","));
          case "--out" -> out = Path.of(v);
          case "-h", "--help" -> {
            System.out.println("usage: StampedeBenchmark [--callers 75,500] [--rounds 50] [--warmup-rounds 5]"
                + " [--load-ms 5] [--impl " + String.join(",", Impls.ORDER) + "] [--out FILE]");
            return null;
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
        }
      }
      return new Options(callerCounts, rounds, warmupRounds, impls, out);
    }
  }

  /** Every implementation at every caller count, one caller pool per count. */
  private static List<Outcome> runAll(Options options) throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    for (int callers : options.callerCounts()) {
      ExecutorService pool = Executors.newFixedThreadPool(callers, daemonThreads("caller"));
      try {
        for (String impl : options.impls()) {
          System.err.printf(Locale.ROOT, "stampede: %s, %d callers, %d rounds ...%n", impl, callers, options.rounds());
          outcomes.add(run(impl, callers, options.rounds(), options.warmupRounds(), pool));
        }
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
    return outcomes;
  }

  /** The Markdown report: the table, then the loader calls of every round. */
  private static String report(List<Outcome> outcomes, Options options) {
    StringBuilder sb = new StringBuilder();
    sb.append("### StampedeBenchmark: ").append(options.rounds()).append(" rounds per row (after ")
        .append(options.warmupRounds()).append(" warm-up rounds), loader sleeps ").append(loadMillis).append(" ms, ")
        .append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n\n");
    sb.append("Each round: invalidate the key, release all callers together, each reads the key through"
        + " the counting loader. Latency is per caller call, over all rounds.\n"
        + "layercache = LayerCache.get(key, loader) (must load once per round); raw-caffeine ="
        + " Cache.get(key, fn); *-jcache = JCache read-through Cache.get.\n\n");
    sb.append("| impl | callers | loader calls/round (min–max) | rounds ≠ 1 load | wrong values | errors |"
        + " p50 ms | p99 ms | max ms |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    outcomes.forEach(o -> sb.append(tableRow(o)));
    sb.append("\nLoader calls per round (value ×consecutive rounds):\n\n");
    for (Outcome o : outcomes) {
      sb.append(String.format(Locale.ROOT, "- %s, %d callers: %s", o.impl, o.callers, describeLoads(o.loadsPerRound)));
      if (o.firstError != null) {
        sb.append(" — first error: ").append(o.firstError);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String tableRow(Outcome o) {
    int count = o.samples;
    long[] lat = Arrays.copyOf(o.latenciesNanos, count);
    Arrays.sort(lat);
    int min = Arrays.stream(o.loadsPerRound).min().orElse(0);
    int max = Arrays.stream(o.loadsPerRound).max().orElse(0);
    return String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %.2f | %.2f | %.2f |%n", o.impl, o.callers,
        min == max ? String.valueOf(min) : min + "–" + max, o.roundsNotOne(), o.wrongValues, o.errors,
        percentileMillis(lat, count, 0.50), percentileMillis(lat, count, 0.99),
        count == 0 ? Double.NaN : lat[count - 1] / 1e6);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
