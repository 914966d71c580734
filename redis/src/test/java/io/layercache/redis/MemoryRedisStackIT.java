package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.layercache.testsupport.RespClient;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class MemoryRedisStackIT extends RedisStackFixture {

  /** A value class allowed by the test codec settings. */
  record Profile(String name, int visits) implements Serializable {}

  private final RedisServer redis;

  MemoryRedisStackIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  @Test
  void aValueWrittenByOneInstanceIsReadByAnotherFromRedisAndBackfilled() {
    CacheManager a = instance();
    CacheManager b = instance();
    List<Cache<String, Profile>> caches = onEach("profiles", memoryAndRedis(redis), a, b);

    caches.get(0).put("ada", new Profile("Ada", 1));
    LayerCache<String, Profile> onB = layered(caches.get(1));

    assertThat(caches.get(1).get("ada")).isEqualTo(new Profile("Ada", 1));
    assertThat(onB.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory", "redis");
    assertThat(onB.layerStatistics().get(1).hits()).isEqualTo(1);
    assertThat(onB.entryInfo("ada")).map(EntryInfo::layer).hasValue("memory");

    caches.get(1).get("ada");
    assertThat(onB.layerStatistics().get(0).hits()).isEqualTo(1);
    assertThat(onB.layerStatistics().get(1).hits()).isEqualTo(1);
  }

  @Test
  void aBackfilledCopyKeepsTheRemainingLifetime() {
    CacheManager a = instance();
    CacheManager b = instance();
    var config = memoryAndRedis(redis).setExpiryPolicyFactory(
        CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 10)));
    @SuppressWarnings("unchecked")
    List<Cache<String, String>> caches = onEach("lifetimes", (io.layercache.LayerCacheConfiguration) config, a, b);
    caches.get(0).put("k", "v");
    EntryInfo<String> written = layered(caches.get(0)).entryInfo("k").orElseThrow();

    caches.get(1).get("k");
    EntryInfo<String> backfilled = layered(caches.get(1)).entryInfo("k").orElseThrow();

    assertThat(backfilled.layer()).isEqualTo("memory");
    assertThat(backfilled.expiresAt()).isEqualTo(written.expiresAt());
  }

  @Test
  void putIfAbsentHasOneWinnerAcrossInstances() throws Exception {
    CacheManager a = instance();
    CacheManager b = instance();
    List<Cache<String, String>> caches = onEach("claims", memoryAndRedis(redis), a, b);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Cache<String, String> cache = caches.get(i % 2);
        String claimant = "worker-" + i;
        attempts.add(() -> cache.putIfAbsent("job:1", claimant));
      }
      int winners = 0;
      for (Future<Boolean> result : pool.invokeAll(attempts)) {
        winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void entryProcessorsAreAtomicAcrossInstances() throws Exception {
    CacheManager a = instance();
    CacheManager b = instance();
    List<Cache<String, Integer>> caches = onEach("counters", memoryAndRedis(redis), a, b);
    caches.get(0).put("hits", 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Object>> increments = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Cache<String, Integer> cache = caches.get(i % 2);
        increments.add(() -> cache.invoke("hits", (entry, args) -> {
          entry.setValue(entry.getValue() + 1);
          return null;
        }));
      }
      for (Future<Object> result : pool.invokeAll(increments)) {
        result.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Cache<String, Integer> fresh = instance().createCache("counters", memoryAndRedis(redis));
    assertThat(fresh.get("hits")).isEqualTo(200);
  }

  @Test
  void removeAndReplaceSeeTheSharedValue() {
    CacheManager a = instance();
    CacheManager b = instance();
    List<Cache<String, String>> caches = onEach("shared", memoryAndRedis(redis), a, b);
    caches.get(0).put("k", "v1");
    assertThat(caches.get(1).replace("k", "v1", "v2")).isTrue();
    assertThat(caches.get(0).getAndRemove("k")).isEqualTo("v2");
    // Instance b's memory layer still holds v2 until the invalidation bus exists; Redis does not.
    assertThat(instance().createCache("shared", memoryAndRedis(redis)).containsKey("k")).isFalse();
  }

  @Test
  void clearRemovesThisCachesKeysOnlyEvenWithGlobCharactersInNames() {
    CacheManager a = instance();
    Cache<String, String> plain = a.createCache("a", memoryAndRedis(redis));
    Cache<String, String> globby = a.createCache("a*[x]?", memoryAndRedis(redis));
    Cache<String, String> prefixed = a.createCache("ab", memoryAndRedis(redis));
    for (int i = 0; i < 50; i++) {
      plain.put("k" + i, "v");
      globby.put("k" + i, "v");
      prefixed.put("k" + i, "v");
    }
    assertThat(dbSize()).isEqualTo(150);

    plain.clear();

    assertThat(dbSize()).isEqualTo(100);
    assertThat(globby.get("k1")).isEqualTo("v");
    assertThat(prefixed.get("k1")).isEqualTo("v");
    globby.clear();
    assertThat(dbSize()).isEqualTo(50);
  }

  @Test
  void hostileKeysAreStoredAndRemovedExactly() {
    CacheManager a = instance();
    Cache<String, String> cache = a.createCache("keys", memoryAndRedis(redis));
    List<String> keys = List.of("*", "?", "[a-z]", "\\", "a\nb", "{tag}", "%41", "", "x".repeat(10 * 1024), "ü€😀");
    for (String key : keys) {
      cache.put(key, "value of " + key.length());
    }
    Cache<String, String> other = instance().createCache("keys", memoryAndRedis(redis));
    for (String key : keys) {
      assertThat(other.get(key)).isEqualTo("value of " + key.length());
    }
    cache.remove("*");
    assertThat(other.get("?")).isEqualTo("value of 1");
    assertThat(instance().createCache("keys", memoryAndRedis(redis)).containsKey("*")).isFalse();
    long scanned = 0;
    for (Cache.Entry<String, String> ignored : other) {
      scanned++;
    }
    assertThat(scanned).isEqualTo(keys.size() - 1);
  }

  @Test
  void entriesExpireForEveryInstanceAndRedisDropsThemAfterTheGrace() {
    CacheManager a = instance();
    var config = memoryAndRedis(RedisLayerSpec.of(redis.uri()));
    config.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 200)));
    @SuppressWarnings("unchecked")
    Cache<String, String> cache = a.createCache("short", (io.layercache.LayerCacheConfiguration<String, String>) (Object) config);
    cache.put("k", "v");
    long pttl = (Long) redis.command("PTTL", "lc:short:e:{sk}");
    assertThat(pttl).isBetween(4_000L, 5_200L);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cache.get("k") == null);
  }

  /** Keys in Redis besides the namespace's lease-notice key (made by the first cache of the namespace). */
  private long dbSize() {
    return (Long) redis.command("DBSIZE") - (Long) redis.command("EXISTS", "lc:lease-notice-key");
  }

  static String text(Object reply) {
    return RespClient.text(reply);
  }
}
