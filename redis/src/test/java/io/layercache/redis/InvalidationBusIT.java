package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.codec.CodecSettings;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instances (cache managers with their own memory layer and Redis client) on one real Redis,
 * joined by the Redis pub/sub bus: a change on one reaches the others' memory layers.
 */
@ExtendWith(RedisServerExtension.class)
class InvalidationBusIT extends RedisStackFixture {

  static final String CHANNEL = "test:invalidations";
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final RedisServer redis;

  InvalidationBusIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  /** Memory + Redis with the Redis bus on {@code settings}. */
  static <K, V> LayerCacheConfiguration<K, V> withBus(RedisServer redis, BusSettings settings) {
    RedisLayerSpec layer = RedisLayerSpec.of(redis.uri()).withCodec(CodecSettings.defaults()
        .withAllowedClassPrefixes("io.layercache.redis."));
    return RedisStackFixture.<K, V>memoryAndRedis(layer)
        .setBus(BusConfig.of(new RedisBusSpec(layer.connection(), CHANNEL), settings));
  }

  static BusSettings fastSettings() {
    return BusSettings.defaults("it").withIntervals(Duration.ofMillis(200), Duration.ofSeconds(1));
  }

  private List<Cache<String, String>> threeInstances(BusSettings settings) {
    CacheManager a = instance();
    CacheManager b = instance();
    CacheManager c = instance();
    return onEach("users", withBus(redis, settings), a, b, c);
  }

  /** Reads {@code key} on {@code cache} until its memory layer holds it, so the test can fail without a bus. */
  private static void warm(Cache<String, String> cache, String... keys) {
    for (String key : keys) {
      await().atMost(WITHIN).untilAsserted(() -> {
        assertThat(cache.get(key)).isNotNull();
        assertThat(memoryLayerOf(cache, key)).hasValue("memory");
      });
    }
  }

  private static Optional<String> memoryLayerOf(Cache<String, String> cache, String key) {
    return layered(cache).entryInfo(key).map(EntryInfo::layer);
  }

  @Test
  void aPutOnOneInstanceDropsTheOthersMemoryCopies() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    caches.get(0).put("ada", "v1");
    // A read racing the put's own invalidation is not copied to memory (the fence); the next is.
    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(caches.get(1).get("ada")).isEqualTo("v1");
      assertThat(caches.get(2).get("ada")).isEqualTo("v1");
      assertThat(memoryLayerOf(caches.get(1), "ada")).hasValue("memory");
    });

    caches.get(0).put("ada", "v2");

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(caches.get(1).get("ada")).isEqualTo("v2");
      assertThat(caches.get(2).get("ada")).isEqualTo("v2");
    });
    assertThat(layered(caches.get(1)).busStatistics()).map(BusStatistics::received).get().satisfies(
        received -> assertThat(received).isPositive());
    assertThat(layered(caches.get(1)).busStatistics().orElseThrow().healthy()).isTrue();
    assertThat(layered(caches.get(1)).busStatistics().orElseThrow().transportDetail()).isEqualTo("subscribed");
  }

  @Test
  void everyRemoveFormReachesTheOtherInstances() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    for (String key : List.of("k1", "k2", "k3", "k4", "k5")) {
      caches.get(0).put(key, "v");
      warm(caches.get(1), key);
    }

    caches.get(0).remove("k1");
    caches.get(0).remove("k2", "v");
    caches.get(0).getAndRemove("k3");
    caches.get(0).invoke("k4", (entry, args) -> {
      entry.remove();
      return null;
    });
    layered(caches.get(0)).invalidate("k5");

    await().atMost(WITHIN).untilAsserted(() -> {
      for (String key : List.of("k1", "k2", "k3", "k4", "k5")) {
        assertThat(caches.get(1).get(key)).as(key).isNull();
      }
    });
  }

  @Test
  void clearOnOneInstanceEmptiesTheOthersMemoryLayers() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    caches.get(0).put("a", "1");
    caches.get(0).put("b", "2");
    warm(caches.get(2), "a", "b");

    caches.get(0).clear();

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(caches.get(2).get("a")).isNull();
      assertThat(caches.get(2).get("b")).isNull();
    });
  }

  @Test
  void aTagInvalidationOnOneInstanceHidesTaggedEntriesOnTheOthers() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    layered(caches.get(0)).set("order-1", "o1", EntryOptions.defaults().withTags(Set.of("customer-7")));
    layered(caches.get(0)).set("order-2", "o2", EntryOptions.defaults().withTags(Set.of("customer-8")));
    warm(caches.get(1), "order-1", "order-2");

    layered(caches.get(0)).invalidateByTag("customer-7");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(caches.get(1).get("order-1")).isNull());
    assertThat(caches.get(1).get("order-2")).isEqualTo("o2");
  }

  @Test
  void aLoadOnOneInstancePrimesTheOthersWithOneLoaderCall() {
    // Values travel only in signed messages.
    List<Cache<String, String>> caches = threeInstances(fastSettings().withSigning(
        BusSettings.Signing.of("k1", "an-example-secret-of-32-bytes-min", true)));
    AtomicInteger loads = new AtomicInteger();

    assertThat(layered(caches.get(0)).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(memoryLayerOf(caches.get(1), "report")).hasValue("memory");
      assertThat(memoryLayerOf(caches.get(2), "report")).hasValue("memory");
    });
    assertThat(layered(caches.get(1)).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");
    assertThat(layered(caches.get(2)).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");
    assertThat(loads).hasValue(1);
    assertThat(layered(caches.get(1)).busStatistics().orElseThrow().primed()).isPositive();
  }

  @Test
  void withoutBroadcastSetALoadOnlyInvalidates() {
    List<Cache<String, String>> caches = threeInstances(fastSettings().withBroadcastSet(false, 0));
    layered(caches.get(0)).get("report", key -> "v");
    Cache<String, String> other = caches.get(1);
    // The DELETE arrives (nothing to drop) and nothing is primed: B's memory layer stays empty.
    await().atMost(WITHIN).until(() -> layered(other).busStatistics().orElseThrow().received() >= 1);
    assertThat(memoryLayerOf(other, "report")).hasValue("redis");
    assertThat(layered(other).busStatistics().orElseThrow().primed()).isZero();
  }

  @Test
  void anInstanceNeverAppliesItsOwnMessages() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    caches.get(0).put("x", "1");
    assertThat(caches.get(0).get("x")).isEqualTo("1");
    await().atMost(WITHIN).until(() -> layered(caches.get(0)).busStatistics().orElseThrow().ownMessages() >= 2);
    assertThat(memoryLayerOf(caches.get(0), "x")).hasValue("memory");
  }

  @Test
  void aKilledSubscriberConnectionIsRepairedAfterResubscribing() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    caches.get(0).put("k", "v1");
    warm(caches.get(1), "k");

    redis.command("CLIENT", "KILL", "TYPE", "pubsub");

    await().atMost(WITHIN).untilAsserted(() ->
        assertThat(layered(caches.get(1)).busStatistics().orElseThrow().interruptions()).isPositive());
    await().atMost(WITHIN).until(() -> layered(caches.get(1)).busStatistics().orElseThrow().healthy());
    // Messages published while B was unsubscribed are lost: B emptied its memory layer instead.
    assertThat(memoryLayerOf(caches.get(1), "k")).hasValue("redis");
    caches.get(0).put("k", "v2");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(caches.get(1).get("k")).isEqualTo("v2"));
    assertThat(layered(caches.get(1)).busStatistics().orElseThrow().repairs()).isPositive();
  }

  @Test
  void cachesOfOtherNamesAreUntouched() {
    CacheManager a = instance();
    CacheManager b = instance();
    Cache<String, String> usersA = a.createCache("users", withBus(redis, fastSettings()));
    Cache<String, String> usersB = b.createCache("users", withBus(redis, fastSettings()));
    Cache<String, String> ordersB = b.createCache("orders", withBus(redis, fastSettings()));
    usersA.put("k", "user");
    ordersB.put("k", "order");
    warm(usersB, "k");

    usersA.put("k", "user2");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(usersB.get("k")).isEqualTo("user2"));
    assertThat(memoryLayerOf(ordersB, "k")).hasValue("memory");
  }

  @Test
  void deleteByPatternReachesRedisAndEveryInstanceAndTakesMetacharactersLiterally() {
    List<Cache<String, String>> caches = threeInstances(fastSettings());
    String longKey = "a" + "x".repeat(600);
    List<String> keys = List.of("a*b", "a[1]", "a%2", "a:b{c}", "ab", longKey, "b*", "user:1", "A1");
    for (String key : keys) {
      caches.get(0).put(key, "v");
    }
    warm(caches.get(1), "a*b", "ab", "b*");

    assertThat(layered(caches.get(0)).deleteByPattern("a\\*b")).isEqualTo(1);
    await().atMost(WITHIN).untilAsserted(() -> assertThat(caches.get(1).get("a*b")).isNull());
    assertThat(layered(caches.get(1)).has("ab")).isTrue();

    assertThat(layered(caches.get(2)).deleteByPattern("a*")).isEqualTo(5);
    await().atMost(WITHIN).untilAsserted(() -> assertThat(caches.get(1).get("ab")).isNull());
    for (String gone : List.of("a[1]", "a%2", "a:b{c}", longKey)) {
      assertThat(caches.get(1).get(gone)).as(gone).isNull();
    }
    for (String kept : List.of("b*", "user:1", "A1")) {
      assertThat(caches.get(1).get(kept)).as(kept).isEqualTo("v");
    }
    assertThat(layered(caches.get(0)).estimatedSize()).isEqualTo(3);
  }
}
