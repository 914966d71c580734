package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCacheConfiguration;
import io.layercache.ResilienceSettings;
import io.layercache.testsupport.RedisSentinel;
import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real Sentinel failovers while instances write: the master is killed (SIGKILL) or frozen
 * (SIGSTOP), three sentinels promote the replica, and the cache serves and accepts writes again
 * without a restart. Prints the measured times (see docs/operations.md); timing-sensitive, so
 * tagged to run alone.
 *
 * <p>Two caches write side by side through one Redis client: one with the default resilience
 * settings (strict, breaker opening after 5 failures for 5 s), one whose breaker opens for 1 s
 * only, which shows how much of the outage is the client finding the new master and how much
 * the breaker's pause.
 */
@Tag("timing")
class RedisSentinelFailoverIT extends RedisStackFixture {

  private static RedisSentinel sentinel;

  @BeforeAll
  static void startSentinel() {
    sentinel = RedisSentinel.start();
  }

  @AfterAll
  static void stopSentinel() {
    sentinel.close();
  }

  @AfterEach
  void rejoinFormerMaster() {
    sentinel.rejoin();
  }

  @Test
  void afterAKilledMasterIsReplacedTheCacheWritesAgainWithoutARestart() throws InterruptedException {
    failOverWhileWriting("SIGKILL", sentinel::killMaster);
  }

  @Test
  void afterAFrozenMasterIsReplacedTheCacheWritesAgainWithoutARestart() throws InterruptedException {
    failOverWhileWriting("SIGSTOP", sentinel::pauseMaster);
  }

  private void failOverWhileWriting(String fault, Supplier<Duration> failOver) throws InterruptedException {
    String name = "failover-" + fault.toLowerCase(java.util.Locale.ROOT);
    LayerCacheConfiguration<String, String> defaults = memoryAndRedis(layer());
    LayerCacheConfiguration<String, String> shortBreak = memoryAndRedis(layer());
    shortBreak.setResilience(ResilienceSettings.defaults().withCircuitBreaker(5, Duration.ofSeconds(1)));
    var instance = instance();
    List<Writer> writers = List.of(new Writer("default breaker (5 s)", instance.createCache(name + "-default", defaults)),
        new Writer("1 s breaker", instance.createCache(name + "-short", shortBreak)));
    RedisServer failing = sentinel.master();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(writers.size());
    try {
      writers.forEach(writer -> scheduler.scheduleWithFixedDelay(writer::writeNext, 0, 20, TimeUnit.MILLISECONDS));
      await().atMost(Duration.ofSeconds(10)).until(() -> writers.stream().allMatch(w -> w.successesSince(0) >= 10));

      long faultAt = System.nanoTime();
      Duration promoted = failOver.get();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> writers.stream().allMatch(w -> w.recoveredSince(faultAt, 25)));
      // shutdown(), not shutdownNow(): an interrupted put would fail and count as an outage
      scheduler.shutdown();
      assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(sentinel.master()).as("the sentinels' new master").isNotSameAs(failing);
      System.out.printf("FAILOVER REPORT (%s of the master): the sentinels promoted the replica after %d ms%n",
          fault, promoted.toMillis());
      Cache<String, String> fresh = instance().createCache(name + "-default", defaults);
      for (Writer writer : writers) {
        Writer.Outcome outcome = writer.outcomeSince(faultAt);
        System.out.printf("FAILOVER REPORT (%s of the master), cache with %s: writes failed from +%d ms to +%d ms"
            + " (%d failed writes); writes succeed again from +%d ms; %d of %d writes acknowledged before the"
            + " fault were lost (asynchronous replication)%n", fault, writer.label, outcome.firstFailureMillis(),
            outcome.lastFailureMillis(), outcome.failures(), outcome.recoveredMillis(),
            writer.lostBefore(faultAt, instance().createCache(writer.cache.getName(), defaults)),
            writer.acknowledgedBefore(faultAt).size());
        assertThat(outcome.failures()).as("the fault made writes fail").isPositive();
        assertThat(outcome.recoveredMillis()).as("time from the fault to working writes").isLessThan(30_000);
        Cache<String, String> reader = instance().createCache(writer.cache.getName(), defaults);
        for (String key : writer.acknowledgedAfterRecovery(faultAt)) {
          assertThat(reader.get(key)).as("acknowledged after the failover: %s", key).isEqualTo("value of " + key);
        }
      }
      assertThat(fresh.get("probe")).isNull();
      fresh.put("probe", "served by the new master");
      assertThat(sentinel.master().command("EXISTS", "lc:" + name + "-default:e:{sprobe}")).isEqualTo(1L);
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static RedisLayerSpec layer() {
    return RedisLayerSpec.of(RedisConnection.Addresses.sentinel(sentinel.masterName(), sentinel.sentinelUris()));
  }

  /** Writes a new key on every call and records when each write started, ended and whether it worked. */
  private static final class Writer {
    record Attempt(long start, long end, String key, boolean ok) {}

    record Outcome(int failures, long firstFailureMillis, long lastFailureMillis, long recoveredMillis) {}

    final String label;
    final Cache<String, String> cache;
    private final List<Attempt> attempts = new ArrayList<>();
    private int next;

    Writer(String label, Cache<String, String> cache) {
      this.label = label;
      this.cache = cache;
    }

    void writeNext() {
      String key = "key-" + next++;
      long start = System.nanoTime();
      boolean ok;
      try {
        cache.put(key, "value of " + key);
        ok = true;
      } catch (RuntimeException e) {
        ok = false;
      }
      synchronized (attempts) {
        attempts.add(new Attempt(start, System.nanoTime(), key, ok));
      }
    }

    long successesSince(long since) {
      return snapshot().stream().filter(a -> a.ok && a.start - since >= 0).count();
    }

    /** True once writes failed after the fault and then {@code run} writes in a row succeeded. */
    boolean recoveredSince(long faultAt, int run) {
      List<Attempt> after = snapshot().stream().filter(a -> a.start - faultAt >= 0).toList();
      int lastFailure = lastFailureIndex(after);
      return lastFailure >= 0 && after.size() - lastFailure - 1 >= run;
    }

    Outcome outcomeSince(long faultAt) {
      List<Attempt> after = snapshot().stream().filter(a -> a.start - faultAt >= 0).toList();
      int lastFailure = lastFailureIndex(after);
      List<Attempt> failed = after.stream().filter(a -> !a.ok).toList();
      assertThat(lastFailure).as("%s: a write after the last failure", label).isLessThan(after.size() - 1);
      Attempt recovered = after.get(lastFailure + 1);
      return new Outcome(failed.size(), millis(failed.get(0).start - faultAt),
          millis(failed.get(failed.size() - 1).end - faultAt), millis(recovered.end - faultAt));
    }

    List<String> acknowledgedBefore(long faultAt) {
      return snapshot().stream().filter(a -> a.ok && a.end - faultAt < 0).map(Attempt::key).toList();
    }

    List<String> acknowledgedAfterRecovery(long faultAt) {
      List<Attempt> after = snapshot().stream().filter(a -> a.start - faultAt >= 0).toList();
      return after.subList(lastFailureIndex(after) + 1, after.size()).stream().map(Attempt::key).toList();
    }

    long lostBefore(long faultAt, Cache<String, String> reader) {
      return acknowledgedBefore(faultAt).stream().filter(key -> reader.get(key) == null).count();
    }

    private static int lastFailureIndex(List<Attempt> attempts) {
      for (int i = attempts.size() - 1; i >= 0; i--) {
        if (!attempts.get(i).ok) {
          return i;
        }
      }
      return -1;
    }

    private List<Attempt> snapshot() {
      synchronized (attempts) {
        return List.copyOf(attempts);
      }
    }

    private static long millis(long nanos) {
      return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
  }
}
