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
  private static final int CALLERS = 20;
  private static final int ROUNDS = 10;
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
    List<Long> allMicros = new ArrayList<>();
    List<Integer> fetchesPerRound = new ArrayList<>();
    List<Long> loaderSide = new ArrayList<>();
    List<Long> waiterSide = new ArrayList<>();
    int errors = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      long startAt = System.currentTimeMillis() + 300;
      for (CacheWorker worker : workers) {
        worker.send("STAMPEDE " + round + " " + startAt + " " + CALLERS + " " + LOADER_MILLIS);
      }
      int fetches = 0;
      for (CacheWorker worker : workers) {
        String[] result = worker.expect("STAMPEDE " + round + " ", Duration.ofSeconds(30)).split(" ");
        fetches += Integer.parseInt(result[2]);
        errors += Integer.parseInt(result[3]);
        Arrays.stream(result[4].split(",")).map(Long::valueOf).forEach(allMicros::add);
        List<Long> mine = new ArrayList<>(Arrays.stream(result[4].split(",")).map(Long::valueOf).toList());
        mine.sort(null);
        (Integer.parseInt(result[2]) > 0 ? loaderSide : waiterSide).add(mine.get(mine.size() / 2));
      }
      fetchesPerRound.add(fetches);
    }
    allMicros.sort(null);
    System.out.printf("%n[multi-process stampede%s] %d processes x %d callers, loader %d ms, %d rounds%n"
            + "  origin fetches per round: %s%n  callers: %d, errors: %d%n"
            + "  wait p50 %.1f ms, p99 %.1f ms, max %.1f ms%n%n",
        bus ? ", bus on" : "", PROCESSES, CALLERS, LOADER_MILLIS, ROUNDS, fetchesPerRound, allMicros.size(), errors,
        percentile(allMicros, 50) / 1000.0, percentile(allMicros, 99) / 1000.0, allMicros.get(allMicros.size() - 1) / 1000.0);
    loaderSide.sort(null);
    waiterSide.sort(null);
    System.out.printf("  median wait per round in the loading process: %.1f ms; in the waiting processes: %.1f ms%n%n",
        loaderSide.get(loaderSide.size() / 2) / 1000.0, waiterSide.get(waiterSide.size() / 2) / 1000.0);

    assertThat(fetchesPerRound).as("origin fetches per round").containsOnly(1);
    assertThat(errors).isZero();
    assertThat(allMicros).hasSize(PROCESSES * CALLERS * ROUNDS);
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
