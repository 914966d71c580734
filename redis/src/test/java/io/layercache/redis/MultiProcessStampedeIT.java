package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Distributed single-flight between separate JVM processes on one real Redis: the stampede
 * (3 processes × 20 concurrent callers of one missing key → 1 origin fetch per round), and a
 * holder frozen with SIGSTOP past its lease (another process takes over; the frozen one's late
 * value is refused by the fence). Prints a report; timing-sensitive, so tagged to run alone.
 */
@Tag("timing")
@ExtendWith(RedisServerExtension.class)
class MultiProcessStampedeIT extends RedisStackFixture {

  private static final int PROCESSES = 3;
  /**
   * Callers per process; {@code -Dstampede.callers=1} measures the protocol without 60 threads
   * queueing for two cores.
   */
  private static final int CALLERS = Integer.getInteger("stampede.callers", 20);
  private static final int ROUNDS = 10;
  private static final int WARM_UP_ROUNDS = 10;
  private static final long LOADER_MILLIS = 50;

  private final RedisServer redis;
  private final List<CacheWorker> workers = new ArrayList<>();
  /** Worker logs, kept for inspection after a failure. */
  private final Path logs = Path.of("target", "worker-logs");

  MultiProcessStampedeIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(CacheWorker::close);
  }

  private CacheWorker worker(String cache, Duration lease, Duration wait) {
    return worker(cache, lease, wait, false);
  }

  private CacheWorker worker(String cache, Duration lease, Duration wait, boolean bus) {
    try {
      java.nio.file.Files.createDirectories(logs);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CacheWorker worker = CacheWorker.start(redis.uri(), cache, lease, wait,
        logs.resolve(cache + "-" + workers.size() + ".log"), bus);
    workers.add(worker);
    return worker;
  }

  @Test
  void threeProcessesWithTwentyCallersEachFetchFromTheOriginOncePerRound() {
    stampede("stampede", false);
  }

  /** The same with the invalidation bus: waiters are woken by the priming message instead of polling. */
  @Test
  void withTheBusWaitersAreWokenByTheStoredValue() {
    stampede("stampede-bus", true);
  }

  private void stampede(String cache, boolean bus) {
    for (int i = 0; i < PROCESSES; i++) {
      worker(cache, Duration.ofSeconds(10), Duration.ofSeconds(5), bus);
    }
    Rounds warmUp = rounds(1, WARM_UP_ROUNDS);
    Rounds measured = rounds(WARM_UP_ROUNDS + 1, ROUNDS);
    System.out.printf("%n[multi-process stampede%s] %d processes x %d callers, loader %d ms, %d rounds after %d warm-up rounds%n"
            + "  origin fetches per round: %s%n  callers: %d, errors: %d%n"
            + "  wait p50 %.1f ms, p99 %.1f ms, max %.1f ms; slowest caller per round (ms): %s%n"
            + "  median wait per round in the loading process: %.1f ms; in the waiting processes: %.1f ms%n"
            + "  %s%n"
            + "  warm-up rounds (not counted): wait p50 %.1f ms, p99 %.1f ms; slowest per round (ms): %s%n%n",
        bus ? ", bus on" : "", PROCESSES, CALLERS, LOADER_MILLIS, ROUNDS, WARM_UP_ROUNDS, measured.fetchesPerRound(),
        measured.micros().size(), measured.errors(), measured.percentileMillis(50), measured.percentileMillis(99),
        measured.percentileMillis(100), measured.slowestPerRound(), Rounds.median(measured.loaderSide()),
        Rounds.median(measured.waiterSide()), measured.timelineSummary(), warmUp.percentileMillis(50), warmUp.percentileMillis(99),
        warmUp.slowestPerRound());

    assertThat(warmUp.fetchesPerRound()).as("origin fetches per warm-up round").containsOnly(1);
    assertThat(measured.fetchesPerRound()).as("origin fetches per round").containsOnly(1);
    assertThat(warmUp.errors() + measured.errors()).isZero();
    assertThat(measured.micros()).hasSize(PROCESSES * CALLERS * ROUNDS);
  }

  /**
   * Runs {@code count} stampede rounds, numbered from {@code first}, on every worker. The
   * warm-up rounds run the same code paths (the miss, the lease, the wait for another process's
   * load) so the workers' JIT has compiled them before the measured rounds, as in a service that
   * has been up for a while; their figures are printed apart.
   */
  private Rounds rounds(int first, int count) {
    Rounds rounds = new Rounds();
    for (int round = first; round < first + count; round++) {
      long startAt = System.currentTimeMillis() + 300;
      for (CacheWorker worker : workers) {
        worker.send("STAMPEDE " + round + " " + startAt + " " + CALLERS + " " + LOADER_MILLIS);
      }
      int fetches = 0;
      long slowest = 0;
      List<String[]> results = new ArrayList<>();
      for (CacheWorker worker : workers) {
        String[] result = worker.expect("STAMPEDE " + round + " ", Duration.ofSeconds(30)).split(" ");
        results.add(result);
        fetches += Integer.parseInt(result[2]);
        rounds.errors += Integer.parseInt(result[3]);
        List<Long> mine = new ArrayList<>(Arrays.stream(result[4].split(",")).map(Long::valueOf).toList());
        rounds.micros.addAll(mine);
        mine.sort(null);
        slowest = Math.max(slowest, mine.get(mine.size() - 1));
        (Integer.parseInt(result[2]) > 0 ? rounds.loaderSide : rounds.waiterSide).add(mine.get(mine.size() / 2));
      }
      rounds.timeline(results);
      rounds.fetchesPerRound.add(fetches);
      rounds.slowestPerRound.add(Math.round(slowest / 100.0) / 10.0);
    }
    rounds.micros.sort(null);
    return rounds;
  }

  /** What a series of rounds measured: callers' waits in microseconds, fetches and the slowest caller per round. */
  private static final class Rounds {
    private final List<Long> micros = new ArrayList<>();
    private final List<Integer> fetchesPerRound = new ArrayList<>();
    private final List<Double> slowestPerRound = new ArrayList<>();
    private final List<Long> loaderSide = new ArrayList<>();
    private final List<Long> waiterSide = new ArrayList<>();
    private final List<Long> loaderStartAfterFirstCall = new ArrayList<>();
    private final List<Long> loaderStartAfterOwnFirstCall = new ArrayList<>();
    private final List<Long> loadingProcessAfterLoader = new ArrayList<>();
    private final List<Long> waitingProcessesAfterLoader = new ArrayList<>();
    private int errors;

    /**
     * Lines the round's processes up on their common clock: how long after the first call of
     * any process the loader started, and how long after the loader ended each caller returned.
     */
    void timeline(List<String[]> results) {
      long firstCall = results.stream().mapToLong(r -> Long.parseLong(r[5])).min().orElseThrow();
      String[] loading = results.stream().filter(r -> Long.parseLong(r[6]) != 0).findFirst().orElse(null);
      if (loading == null) {
        return;
      }
      loaderStartAfterFirstCall.add((Long.parseLong(loading[6]) - firstCall) / 1000);
      loaderStartAfterOwnFirstCall.add((Long.parseLong(loading[6]) - Long.parseLong(loading[5])) / 1000);
      long loaderEnd = Long.parseLong(loading[7]);
      for (String[] result : results) {
        List<Long> side = result == loading ? loadingProcessAfterLoader : waitingProcessesAfterLoader;
        Arrays.stream(result[8].split(",")).map(Long::valueOf).forEach(end -> side.add((end - loaderEnd) / 1000));
      }
    }

    /** The timeline as text: median and max of each part, in milliseconds. */
    String timelineSummary() {
      return String.format("loader started after the first call: median %.1f / max %.1f ms (after its own process's first"
              + " call: median %.1f / max %.1f ms); callers returned after the "
              + "loader ended: loading process median %.1f / max %.1f ms, waiting processes median %.1f / max %.1f ms",
          median(loaderStartAfterFirstCall), max(loaderStartAfterFirstCall), median(loaderStartAfterOwnFirstCall),
          max(loaderStartAfterOwnFirstCall), median(loadingProcessAfterLoader),
          max(loadingProcessAfterLoader), median(waitingProcessesAfterLoader), max(waitingProcessesAfterLoader));
    }

    private static double max(List<Long> micros) {
      return micros.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0;
    }

    List<Long> micros() {
      return micros;
    }

    List<Integer> fetchesPerRound() {
      return fetchesPerRound;
    }

    List<Double> slowestPerRound() {
      return slowestPerRound;
    }

    List<Long> loaderSide() {
      return loaderSide;
    }

    List<Long> waiterSide() {
      return waiterSide;
    }

    int errors() {
      return errors;
    }

    double percentileMillis(int p) {
      return percentile(micros, p) / 1000.0;
    }

    static double median(List<Long> micros) {
      List<Long> sorted = new ArrayList<>(micros);
      sorted.sort(null);
      return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2) / 1000.0;
    }
  }

  @Test
  void aHolderFrozenPastItsLeaseIsTakenOverAndItsLateValueIsRefused() {
    Duration lease = Duration.ofMillis(500);
    CacheWorker frozen = worker("takeover", lease, Duration.ofSeconds(5));
    CacheWorker successor = worker("takeover", lease, Duration.ofSeconds(5));

    frozen.send("HOLD k 1000");
    frozen.expect("LOADING k", Duration.ofSeconds(10));
    long frozenAt = System.nanoTime();
    frozen.pause();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> Long.valueOf(0L).equals(redis.command("EXISTS", "lc:takeover:l:{sk}")));
    long leaseGoneMillis = (System.nanoTime() - frozenAt) / 1_000_000;

    successor.send("HOLD k 1500");
    successor.expect("LOADING k", Duration.ofSeconds(10));
    frozen.resume();

    String[] late = frozen.expect("HELD k ", Duration.ofSeconds(10)).split(" ");
    String[] taken = successor.expect("HELD k ", Duration.ofSeconds(10)).split(" ");
    System.out.printf("%n[lease takeover] lease %d ms; frozen holder's lease gone after %d ms; late value %s refused %s time(s);"
        + " successor stored %s%n%n", lease.toMillis(), leaseGoneMillis, late[2], late[3], taken[2]);

    assertThat(late[2]).isEqualTo("from-" + frozen.pid());
    assertThat(late[3]).as("fenced writes in the frozen process").isEqualTo("1");
    assertThat(taken[2]).isEqualTo("from-" + successor.pid());
    LayerCache<String, String> reader = layered(instance().createCache("takeover", RedisStackFixture.<String, String>memoryAndRedis(
        RedisLayerSpec.of(redis.uri()))));
    assertThat(reader.asJCache().get("k")).isEqualTo("from-" + successor.pid());
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
