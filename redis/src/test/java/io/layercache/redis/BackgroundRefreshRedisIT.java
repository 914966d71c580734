package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.RefreshSettings;
import io.layercache.SingleFlightSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Background refreshes (stale-while-revalidate, refresh-ahead) across instances sharing Redis. */
@ExtendWith(RedisServerExtension.class)
class BackgroundRefreshRedisIT extends RedisStackFixture {

  private final RedisServer redis;

  BackgroundRefreshRedisIT(RedisServer redis) {
    this.redis = redis;
  }

  @Test
  void anInstanceWhoseCopyWasRefreshedElsewhereTakesTheNewValueWithoutLoading() {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(redis)
        .setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1)))
        .setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    LayerCache<String, String> first = layered(instance().createCache("swr", config));
    LayerCache<String, String> second = layered(instance().createCache("swr", config));
    first.set("k", "v1", EntryOptions.defaults().withTtl(Duration.ofMillis(200)));
    assertThat(second.asJCache().get("k")).isEqualTo("v1");
    AtomicInteger loads = new AtomicInteger();
    await().atMost(Duration.ofSeconds(5)).until(() -> first.entryInfo("k").map(i -> i.freshness()).orElse(null)
        == io.layercache.EntryInfo.Freshness.STALE_WHILE_REVALIDATE);

    assertThat(first.get("k", key -> {
      loads.incrementAndGet();
      return "v2";
    })).isEqualTo("v1");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(first.asJCache().get("k")));

    // second still holds v1 (expired) in memory; its stale read finds v2 in Redis and takes it
    String seen = second.get("k", key -> {
      loads.incrementAndGet();
      return "v3";
    });
    assertThat(seen).isIn("v1", "v2");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(second.get("k", key -> "v3")));
    assertThat(loads).as("origin calls: one refresh for both instances").hasValue(1);
  }

  @Test
  void refreshAheadJudgesDuenessByTheSharedEntryNotAMemoryCopyCappedByMemoryTtl() {
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setLayers(MemoryLayerSpec.defaults().withTtl(Duration.ofMillis(200)), RedisLayerSpec.of(redis.uri()))
        .setRefresh(RefreshSettings.disabled().withRefreshAhead(0.8));
    LayerCache<String, String> cache = layered(instance().createCache("ahead", config));
    cache.set("k", "v1", EntryOptions.defaults().withTtl(Duration.ofMinutes(10)));
    AtomicInteger loads = new AtomicInteger();
    java.util.List<Throwable> callers = new java.util.concurrent.CopyOnWriteArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < until && loads.get() == 0) {
      cache.get("k", key -> {
        loads.incrementAndGet();
        callers.add(new Exception("loader called"));
        return "v2";
      });
    }
    assertThat(loads).as("a 10-minute entry is not due for refresh-ahead after one second; loader called from: %s",
        callers.stream().map(t -> java.util.Arrays.toString(t.getStackTrace())).toList()).hasValue(0);
  }

  @Test
  void whileARefreshRunsStaleReadersAreServedFromMemoryWithoutARedisRoundTripEach() throws Exception {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(redis)
        .setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1)));
    LayerCache<String, String> cache = layered(instance().createCache("swr-local", config));
    cache.set("k", "v1", EntryOptions.defaults().withTtl(Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.entryInfo("k").map(i -> i.freshness()).orElse(null)
        == io.layercache.EntryInfo.Freshness.STALE_WHILE_REVALIDATE);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    io.layercache.Loader<String, String> slow = key -> {
      release.await();
      return "v2";
    };
    assertThat(cache.get("k", slow)).isEqualTo("v1"); // starts the refresh

    io.layercache.LayerStatistics before = cache.layerStatistics().get(1);
    for (int i = 0; i < 100; i++) {
      assertThat(cache.get("k", slow)).isEqualTo("v1");
    }
    io.layercache.LayerStatistics after = cache.layerStatistics().get(1);
    assertThat((after.hits() + after.misses()) - (before.hits() + before.misses()))
        .as("Redis reads during 100 stale reads").isLessThanOrEqualTo(2);

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(cache.get("k", key -> "never")));
  }
}
