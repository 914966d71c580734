package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.DegradationMode;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.ResilienceSettings;
import io.layercache.event.CacheEvent;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real faults: redis-server killed with SIGKILL and frozen with SIGSTOP. Graceful mode keeps
 * serving; strict mode fails fast; the breaker opens and closes by itself.
 */
@Tag("fault")
@ExtendWith(RedisServerExtension.class)
class RedisFaultIT extends RedisStackFixture {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);
  /** The layer's bound on one Redis call: timeout × (retries + 1) + 100 ms. */
  private static final Duration CALL_BOUND = Duration.ofMillis(200 * 2 + 100);

  private final RedisServer redis;
  private final List<CacheEvent.BreakerTransition<String>> transitions = new CopyOnWriteArrayList<>();

  RedisFaultIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void healRedis() {
    if (!redis.isAlive()) {
      redis.restart();
    } else {
      redis.resume();
    }
  }

  private LayerCache<String, String> cache(String name, DegradationMode mode) {
    RedisConnection.Addresses connection = RedisConnection.Addresses.standalone(redis.uri())
        .withCommandTimeout(COMMAND_TIMEOUT);
    LayerCacheConfiguration<String, String> config = memoryAndRedis(RedisLayerSpec.of(connection));
    config.setResilience(ResilienceSettings.defaults().withMode(mode).withCircuitBreaker(2, Duration.ofSeconds(1)));
    Cache<String, String> cache = instance().createCache(name, config);
    LayerCache<String, String> layered = layered(cache);
    layered.subscribe(event -> {
      if (event instanceof CacheEvent.BreakerTransition<String> transition) {
        transitions.add(transition);
      }
    });
    return layered;
  }

  @Test
  void gracefulModeKeepsServingThroughAKilledRedisAndRecoversByItself() {
    LayerCache<String, String> cache = cache("graceful-kill", DegradationMode.GRACEFUL);
    for (int i = 0; i < 10; i++) {
      cache.asJCache().put("warm-" + i, "v" + i);
    }

    redis.kill();

    for (int i = 0; i < 10; i++) {
      assertThat(cache.asJCache().get("warm-" + i)).isEqualTo("v" + i);
    }
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      assertThat(cache.get("cold-" + i, key -> "loaded " + key)).isEqualTo("loaded cold-" + i);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CALL_BOUND.plusSeconds(1));
    }
    cache.asJCache().put("written-while-down", "local");
    assertThat(cache.asJCache().get("written-while-down")).isEqualTo("local");
    assertThat(transitions).extracting(CacheEvent.BreakerTransition::to).contains("OPEN");

    redis.restart();

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      cache.get("probe-" + System.nanoTime(), key -> "p");
      assertThat(transitions).extracting(CacheEvent.BreakerTransition::to).contains("CLOSED");
    });
    cache.asJCache().put("after-recovery", "shared");
    assertThat(redis.command("EXISTS", "lc:graceful-kill:e:{safter-recovery}")).isEqualTo(1L);
  }

  @Test
  void gracefulModeRidesOutAFrozenRedisWithoutBlockingPastTheBound() {
    LayerCache<String, String> cache = cache("graceful-freeze", DegradationMode.GRACEFUL);
    cache.asJCache().put("warm", "v");

    redis.pause();

    long start = System.nanoTime();
    assertThat(cache.asJCache().get("warm")).isEqualTo("v");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a memory hit never waits for Redis")
        .isLessThan(Duration.ofMillis(100));
    // A cold miss: the Redis read times out once; the load and its store then skip Redis
    // (no second wait for the frozen server in the same operation).
    start = System.nanoTime();
    assertThat(cache.get("cold", key -> "loaded")).isEqualTo("loaded");
    Duration coldMiss = Duration.ofNanos(System.nanoTime() - start);
    assertThat(coldMiss).isLessThan(CALL_BOUND.plusMillis(300));
    redis.resume();
  }

  @Test
  void strictModeFailsWithAClearExceptionAndFailsFastOnceTheBreakerIsOpen() {
    LayerCache<String, String> cache = cache("strict-kill", DegradationMode.STRICT);
    cache.asJCache().put("warm", "v");

    redis.kill();

    assertThat(cache.asJCache().get("warm")).as("memory hits are unaffected").isEqualTo("v");
    for (int i = 0; i < 2; i++) {
      String key = "cold-" + i;
      long start = System.nanoTime();
      assertThatThrownBy(() -> cache.asJCache().get(key)).isInstanceOf(CacheException.class)
          .hasMessageContaining("strict-kill").hasMessageContaining("redis");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CALL_BOUND.plusSeconds(1));
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> cache.asJCache().get("cold-open")).isInstanceOf(CacheException.class)
        .hasMessageContaining("circuit breaker open");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("rejected without touching the network")
        .isLessThan(Duration.ofMillis(100));
  }

  @Test
  void withARemoteSoftTimeoutAStaleReadDoesNotWaitForASlowRedis() {
    RedisConnection.Addresses connection = RedisConnection.Addresses.standalone(redis.uri())
        .withCommandTimeout(Duration.ofMillis(800));
    LayerCacheConfiguration<String, String> config = memoryAndRedis(RedisLayerSpec.of(connection));
    config.setResilience(ResilienceSettings.defaults().withMode(DegradationMode.GRACEFUL)
        .withRemoteSoftTimeout(Duration.ofMillis(50)));
    config.setFailSafe(io.layercache.FailSafeSettings.disabled().enabled(Duration.ofMinutes(10), Duration.ofSeconds(30)));
    LayerCache<String, String> cache = layered(instance().createCache("remote-soft", config));
    cache.set("k", "last good", io.layercache.EntryOptions.defaults().withTtl(Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.entryInfo("k").map(i -> i.freshness()).orElse(null)
        == io.layercache.EntryInfo.Freshness.FAIL_SAFE);

    redis.stall(Duration.ofMillis(1500));
    await().atMost(Duration.ofSeconds(2)).until(() -> !pingsWithin(Duration.ofMillis(100)));
    // Four concurrent readers of the hot key: each finds the kept memory copy as its fallback.
    java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Duration>> reads = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        reads.add(readers.submit(() -> {
          long start = System.nanoTime();
          assertThat(cache.get("k", key -> {
            throw new java.io.IOException("origin down too");
          })).isEqualTo("last good");
          return Duration.ofNanos(System.nanoTime() - start);
        }));
      }
      for (java.util.concurrent.Future<Duration> read : reads) {
        assertThat(read.get(5, java.util.concurrent.TimeUnit.SECONDS))
            .as("the soft timeout, not the 800 ms command timeout").isLessThan(Duration.ofMillis(600));
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      readers.shutdownNow();
    }
    assertThat(cache.layerStatistics().get(1).softTimeouts()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aReadThatFoundRedisDownDoesNotMakeLaterWritesOnTheThreadSkipRedis() {
    LayerCache<String, String> cache = cache("no-leak", DegradationMode.GRACEFUL);
    redis.pause();
    assertThat(cache.asJCache().containsKey("absent")).isFalse();
    redis.resume();
    await().atMost(Duration.ofSeconds(5)).until(() -> pingsWithin(Duration.ofMillis(100)));
    // the very next write on this thread goes to Redis: nothing carried over from the failed read
    cache.asJCache().put("written-after", "v");
    assertThat(redis.command("EXISTS", "lc:no-leak:e:{swritten-after}")).isEqualTo(1L);
  }

  /** True when Redis answers a PING within {@code timeout}. */
  private boolean pingsWithin(Duration timeout) {
    try {
      redis.command(timeout, "PING");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
