package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.bus.BusSettings;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A strict-mode write whose Redis call timed out may still have been applied: Redis was only slow
 * and executes the command once it gets to it. Here Redis holds back writes ({@code CLIENT PAUSE
 * WRITE}) for less time than the bus's silence threshold, so no instance stops trusting its
 * subscription and repairs. The writer's call failed, so no change was published; the instances'
 * memory copies must still not keep the old value for ever.
 */
@ExtendWith(RedisServerExtension.class)
class UnknownOutcomeWriteIT extends RedisStackFixture {

  /** 1.5 s: longer than a write's bound (500 ms × 2 attempts + 100 ms), shorter than 3 heartbeats (3 s). */
  private static final String PAUSE_MILLIS = "1500";

  private final RedisServer redis;

  UnknownOutcomeWriteIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  private List<Cache<String, String>> instances() {
    return onEach("unknown-outcome", InvalidationBusIT.<String, String>withBus(redis, BusSettings.defaults("it")),
        instance(), instance(), instance());
  }

  @Test
  void aTimedOutPutThatRedisAppliedLaterReachesEveryMemoryLayer() {
    List<Cache<String, String>> caches = instances();
    warmBoth(caches);

    holdBackWrites();
    assertThatThrownBy(() -> caches.get(0).put("k", "v2")).isInstanceOf(CacheException.class);

    expectEverywhere(caches, "v2");
  }

  /** A removal takes the other write path: a read, then a compare-and-set script (held back). */
  @Test
  void aTimedOutRemovalThatRedisAppliedLaterReachesEveryMemoryLayer() {
    List<Cache<String, String>> caches = instances();
    warmBoth(caches);
    // Loads the script into Redis first: a held-back EVALSHA of an unknown script would only fail.
    caches.get(0).put("other", "x");
    caches.get(0).remove("other");

    holdBackWrites();
    assertThatThrownBy(() -> caches.get(0).remove("k")).isInstanceOf(CacheException.class);

    expectEverywhere(caches, null);
  }

  /** The writer (0) and a reader (1) hold {@code k = v1} in memory. */
  private static void warmBoth(List<Cache<String, String>> caches) {
    caches.get(0).put("k", "v1");
    for (Cache<String, String> cache : caches.subList(0, 2)) {
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(cache.get("k")).isEqualTo("v1");
        assertThat(layerOf(cache, "k")).hasValue("memory");
      });
    }
  }

  /** Writes (and scripts, and PUBLISH) wait in Redis for a while; reads go on. */
  private void holdBackWrites() {
    assertThat(redis.command("CLIENT", "PAUSE", PAUSE_MILLIS, "WRITE")).isEqualTo("OK");
  }

  /**
   * Redis wakes up and applies the change the client gave up on: the instance without a memory
   * copy (2) reads it, then so must the reader's and the writer's memory layers.
   */
  private static void expectEverywhere(List<Cache<String, String>> caches, String value) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(caches.get(2).get("k")).isEqualTo(value));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(caches.get(1).get("k")).as("another instance's memory copy").isEqualTo(value);
      assertThat(caches.get(0).get("k")).as("the writer's own memory copy").isEqualTo(value);
    });
  }

  private static Optional<String> layerOf(Cache<String, String> cache, String key) {
    return layered(cache).entryInfo(key).map(EntryInfo::layer);
  }
}
