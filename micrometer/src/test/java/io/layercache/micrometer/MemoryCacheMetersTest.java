package io.layercache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import io.layercache.RefreshSettings;
import io.layercache.jcache.LayerCachingProvider;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The meters of a memory-only cache move with real operations on it. */
class MemoryCacheMetersTest {

  private final ManualTime time = new ManualTime();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private CacheManager manager;

  @BeforeEach
  void openManager() {
    manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("micrometer-test:" + UUID.randomUUID()), getClass().getClassLoader());
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private LayerCacheConfiguration<String, String> config() {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class).setTimeSource(time);
  }

  @SuppressWarnings("unchecked")
  private LayerCache<String, String> monitored(String name, LayerCacheConfiguration<String, String> config) {
    Cache<String, String> cache = manager.createCache(name, config);
    LayerCacheMetrics.monitor(registry, cache, "app", "test");
    return cache.unwrap(LayerCache.class);
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void standardCacheMetersFollowTheJCacheStatistics() {
    LayerCache<String, String> cache = monitored("standard", config().setStatisticsEnabled(true));
    Cache<String, String> jcache = cache.asJCache();
    jcache.put("a", "1");
    jcache.put("b", "2");
    jcache.get("a");
    jcache.get("b");
    jcache.get("absent");
    jcache.remove("a");

    assertThat(counter("cache.gets", "cache", "standard", "result", "hit", "app", "test")).isEqualTo(2);
    assertThat(counter("cache.gets", "cache", "standard", "result", "miss")).isEqualTo(1);
    assertThat(counter("cache.puts", "cache", "standard")).isEqualTo(2);
    assertThat(counter("cache.removals", "cache", "standard")).isEqualTo(1);
    assertThat(counter("cache.evictions", "cache", "standard")).isZero();
    assertThat(gauge("cache.size", "cache", "standard")).isEqualTo(1);
  }

  @Test
  void layerMetersCountWhereReadsWereAnswered() {
    LayerCache<String, String> cache = monitored("layers", config());
    cache.asJCache().put("k", "v");
    cache.asJCache().get("k");
    cache.asJCache().get("k");
    cache.asJCache().get("nope");

    String[] memory = {"cache", "layers", "layer", "memory"};
    assertThat(counter("layercache.layer.gets", tags(memory, "result", "hit"))).isEqualTo(2);
    assertThat(counter("layercache.layer.gets", tags(memory, "result", "miss"))).isEqualTo(1);
    assertThat(counter("layercache.layer.writes", memory)).isEqualTo(1);
    assertThat(gauge("layercache.layer.breaker.open", memory)).isZero();
    assertThat(registry.find("layercache.layer.calls").meter()).as("an in-process layer is not timed").isNull();
    assertThat(registry.find("layercache.bus.published").meter()).as("no bus, no bus meters").isNull();
  }

  @Test
  void loadMetersCountLoaderCallsByOutcomeAndTheirTime() {
    LayerCache<String, String> cache = monitored("loads", config());
    assertThat(cache.get("k", key -> "loaded")).isEqualTo("loaded");
    assertThatThrownBy(() -> cache.get("bad", key -> {
      throw new IOException("origin down");
    })).isInstanceOf(CacheLoaderException.class);

    assertThat(counter("layercache.loads", "cache", "loads", "result", "success")).isEqualTo(1);
    assertThat(counter("layercache.loads", "cache", "loads", "result", "failure")).isEqualTo(1);
    FunctionTimer duration = registry.get("layercache.load.duration").tags("cache", "loads").functionTimer();
    assertThat(duration.count()).isEqualTo(2);
    assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(counter("layercache.load.timeouts", "cache", "loads", "timeout", "hard")).isZero();
  }

  @Test
  void failSafeStaleValuesServedAreCounted() {
    LayerCache<String, String> cache = monitored("fail-safe",
        config().setFailSafe(FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30))));
    cache.set("k", "last good", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", key -> {
      throw new IOException("origin down");
    })).isEqualTo("last good");

    assertThat(counter("layercache.stale.served", "cache", "fail-safe", "reason", "fail-safe")).isEqualTo(1);
    assertThat(counter("layercache.loads", "cache", "fail-safe", "result", "failure")).isEqualTo(1);
  }

  @Test
  void staleWhileRevalidateServesAndRefreshesAreCounted() {
    LayerCache<String, String> cache = monitored("swr",
        config().setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1))));
    cache.set("k", "stale", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", key -> "fresh")).isEqualTo("stale");

    assertThat(counter("layercache.stale.served", "cache", "swr", "reason", "stale-while-revalidate")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(counter("layercache.refreshes", "cache", "swr", "result", "started")).isEqualTo(1));
  }

  @Test
  void negativeCachingHitsAreCounted() {
    LayerCache<String, String> cache = monitored("negative",
        config().setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofMinutes(1))));
    assertThat(cache.get("ghost", key -> null)).isNull();
    assertThat(cache.get("ghost", key -> "never called")).isNull();

    assertThat(counter("layercache.negative.stored", "cache", "negative")).isEqualTo(1);
    assertThat(counter("layercache.negative.hits", "cache", "negative")).isEqualTo(1);
  }

  @Test
  void aCallerJoiningALoadInFlightIsCounted() throws Exception {
    LayerCache<String, String> cache = monitored("single-flight", config());
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> cache.get("k", key -> {
      loading.countDown();
      release.await();
      return "once";
    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> cache.get("k", key -> "twice"));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(counter("layercache.singleflight.joins", "cache", "single-flight")).isEqualTo(1));
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("once");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("once");
    assertThat(counter("layercache.loads", "cache", "single-flight", "result", "success")).isEqualTo(1);
  }

  @Test
  void monitoringAManagerBindsEveryCacheItHas() {
    manager.createCache("one", config());
    manager.createCache("two", config());

    LayerCacheMetrics.monitor(registry, manager, Tags.of("app", "test"));

    assertThat(registry.find("layercache.layer.gets").tag("result", "hit").functionCounters())
        .extracting(c -> c.getId().getTag("cache")).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void aClosedCachesMetersReadNaN() {
    LayerCache<String, String> cache = monitored("closing", config());
    cache.asJCache().put("k", "v");
    cache.asJCache().close();

    assertThat(counter("layercache.layer.writes", "cache", "closing", "layer", "memory")).isNaN();
    assertThat(counter("layercache.loads", "cache", "closing", "result", "success")).isNaN();
  }

  @Test
  void aCacheOfAnotherProviderIsRefusedWithAClearError() {
    @SuppressWarnings("unchecked")
    Cache<String, String> foreign = (Cache<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Cache.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getName" -> "foreign";
          case "unwrap" -> throw new IllegalArgumentException("cannot unwrap");
          default -> throw new UnsupportedOperationException(method.getName());
        });

    assertThatThrownBy(() -> LayerCacheMetrics.monitor(registry, foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache 'foreign'")
        .hasMessageContaining("JCacheMetrics");
  }

  private static String[] tags(String[] base, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
