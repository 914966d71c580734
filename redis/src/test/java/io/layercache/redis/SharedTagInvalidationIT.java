package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.DegradationMode;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.ResilienceSettings;
import io.layercache.TagSettings;
import io.layercache.TimeSource;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.SharedResources;
import io.layercache.layer.TagTimestamps;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tag invalidation shared through Redis tag keys, with cache managers standing for instances on
 * one real Redis: other instances, restarted ones, staleness of memory copies, the keys' lifetime,
 * and Redis going down.
 */
@ExtendWith(RedisServerExtension.class)
class SharedTagInvalidationIT extends RedisStackFixture {

  private static final Duration REFRESH = Duration.ofSeconds(1);
  private static final EntryOptions TAGGED = EntryOptions.defaults().withTags("t");

  private final RedisServer redis;

  SharedTagInvalidationIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void healRedis() {
    if (!redis.isAlive()) {
      redis.restart();
    }
  }

  private LayerCacheConfiguration<String, String> config() {
    return RedisStackFixture.<String, String>memoryAndRedis(redis).setTags(new TagSettings(REFRESH));
  }

  private LayerCache<String, String> cacheOn(CacheManager instance, String name) {
    return layered(instance.createCache(name, config()));
  }

  /** Tagged, other-tagged and untagged entries written by {@code writer}. */
  private static void writeEntries(LayerCache<String, String> writer) {
    writer.set("tagged", "v1", TAGGED);
    writer.set("other-tag", "v2", EntryOptions.defaults().withTags("u"));
    writer.set("untagged", "v3", EntryOptions.defaults());
  }

  private static void assertOthersUnaffected(LayerCache<String, String> reader) {
    assertThat(reader.asJCache().get("other-tag")).isEqualTo("v2");
    assertThat(reader.asJCache().get("untagged")).isEqualTo("v3");
  }

  @Test
  void anotherInstanceReadingRedisDoesNotGetTheInvalidatedEntries() {
    LayerCache<String, String> a = cacheOn(instance(), "through-redis");
    writeEntries(a);

    a.invalidateByTag("t");

    assertThat(redis.command("EXISTS", "lc:through-redis:e:{stagged}")).as("still in Redis").isEqualTo(1L);
    assertThat(redis.command("EXISTS", "lc:through-redis:t:{t}")).as("the tag key").isEqualTo(1L);
    LayerCache<String, String> b = cacheOn(instance(), "through-redis");
    assertThat(b.asJCache().get("tagged")).isNull();
    assertOthersUnaffected(b);
    assertThat(redis.command("EXISTS", "lc:through-redis:e:{stagged}")).as("removed by B's read").isEqualTo(0L);
  }

  @Test
  void anotherInstancesMemoryCopyStopsBeingServedWithinTheRefreshInterval() {
    LayerCache<String, String> a = cacheOn(instance(), "memory-copy");
    LayerCache<String, String> b = cacheOn(instance(), "memory-copy");
    writeEntries(a);
    assertThat(b.asJCache().get("tagged")).isEqualTo("v1");
    assertThat(b.entryInfo("tagged").orElseThrow().layer()).isEqualTo("memory");

    long start = System.nanoTime();
    a.invalidateByTag("t");

    await().atMost(REFRESH.plusMillis(1500)).pollInterval(Duration.ofMillis(20))
        .until(() -> b.asJCache().get("tagged") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REFRESH.plusMillis(1500));
    assertOthersUnaffected(b);
  }

  @Test
  void aRestartedInstanceDoesNotServeEntriesWrittenBeforeTheInvalidation() {
    CacheManager first = instance();
    LayerCache<String, String> a = cacheOn(first, "restart");
    writeEntries(a);
    a.invalidateByTag("t");
    first.close();

    LayerCache<String, String> restarted = cacheOn(instance(), "restart");

    assertThat(restarted.asJCache().get("tagged")).isNull();
    assertOthersUnaffected(restarted);
    restarted.set("tagged", "new", TAGGED);
    assertThat(cacheOn(instance(), "restart").asJCache().get("tagged")).isEqualTo("new");
  }

  @Test
  void gracefulModeWithRedisDownStillInvalidatesLocally() {
    LayerCache<String, String> cache = layered(instance().createCache("graceful-down",
        config().setResilience(ResilienceSettings.defaults().withMode(DegradationMode.GRACEFUL))));
    writeEntries(cache);
    assertThat(cache.asJCache().get("tagged")).isEqualTo("v1");

    redis.kill();
    cache.invalidateByTag("t");

    assertThat(cache.asJCache().get("tagged")).isNull();
    assertOthersUnaffected(cache);
    assertThat(cache.layerStatistics().get(1).detail("tag-invalidations-local-only")).isEqualTo(1);
  }

  @Test
  void strictModeWithRedisDownFailsTheInvalidation() {
    LayerCache<String, String> cache = cacheOn(instance(), "strict-down");
    writeEntries(cache);

    redis.kill();

    assertThatThrownBy(() -> cache.invalidateByTag("t")).isInstanceOf(CacheException.class)
        .hasMessageContaining("strict-down");
  }

  @Test
  void aTagKeyKeepsTheNewestStampAndLivesAsLongAsTheEntriesItCanHide() {
    RedisLayerSpec spec = RedisLayerSpec.of(redis.uri());
    try (SharedResources shared = new SharedResources()) {
      TagTimestamps capped = tagTimestamps(spec, shared, "capped", Duration.ofMinutes(2).toMillis());
      TagTimestamps uncapped = tagTimestamps(spec, shared, "uncapped", 0);

      assertThat(capped.raise("t", 200)).isEqualTo(200);
      assertThat(capped.raise("t", 100)).as("never lowered").isEqualTo(200);
      assertThat(capped.read(List.of("t", "never"))).containsExactly(200, 0);
      long ttl = (Long) redis.command("PTTL", "lc:capped:t:{t}");
      // the retention plus the layer's 5 s grace
      assertThat(ttl).isGreaterThan(Duration.ofMinutes(2).toMillis()).isLessThanOrEqualTo(Duration.ofSeconds(125).toMillis());

      uncapped.raise("t", 1);
      assertThat(redis.command("PTTL", "lc:uncapped:t:{t}")).as("for ever").isEqualTo(-1L);
      capped.raise("forever-first", 1);
      redis.command("PERSIST", "lc:capped:t:{forever-first}");
      capped.raise("forever-first", 2);
      assertThat(redis.command("PTTL", "lc:capped:t:{forever-first}")).as("never shortened").isEqualTo(-1L);
    }
  }

  @Test
  void tagKeysAreEscapedAndLongTagsDigested() {
    LayerCache<String, String> a = cacheOn(instance(), "escaped");
    String odd = "a:b {c}*";
    String longTag = "x".repeat(600);
    a.set("odd", "v", EntryOptions.defaults().withTags(odd));
    a.set("long", "v", EntryOptions.defaults().withTags(longTag));
    a.invalidateByTag(odd);
    a.invalidateByTag(longTag);

    assertThat(redis.command("EXISTS", "lc:escaped:t:{a%3Ab%20%7Bc%7D%2A}")).isEqualTo(1L);
    assertThat((List<?>) redis.command("KEYS", "lc:escaped:t:{#*")).as("a digested tag key").hasSize(1);
    LayerCache<String, String> b = cacheOn(instance(), "escaped");
    assertThat(b.asJCache().get("odd")).isNull();
    assertThat(b.asJCache().get("long")).isNull();
  }

  private TagTimestamps tagTimestamps(RedisLayerSpec spec, SharedResources shared, String cache, long retention) {
    Layer<String, String> layer = new RedisLayerFactory().create(spec, new LayerContext<String, String>(cache,
        getClass().getClassLoader(), TimeSource.SYSTEM, (l, key, entry, expired) -> { }, true, shared, String.class,
        0, retention));
    return layer.tagTimestamps();
  }
}
