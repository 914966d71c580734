package io.layercache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.DegradationMode;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.ResilienceSettings;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisConnection;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The meters of a memory+Redis cache on a real redis-server: per-layer hits, the Redis layer's call
 * timer, the bus meters of two instances, and the breaker gauge once Redis is really killed.
 */
@ExtendWith(RedisServerExtension.class)
class MemoryRedisMetersIT {

  private final RedisServer redis;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<CacheManager> managers = new ArrayList<>();

  MemoryRedisMetersIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeInstancesAndHealRedis() {
    managers.forEach(CacheManager::close);
    if (!redis.isAlive()) {
      redis.restart();
    }
  }

  /** A new application instance: its own cache manager, memory layer and Redis client. */
  @SuppressWarnings("unchecked")
  private LayerCache<String, String> instance(String cacheName, LayerCacheConfiguration<String, String> config) {
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("instance:" + UUID.randomUUID()), getClass().getClassLoader());
    managers.add(manager);
    return manager.createCache(cacheName, config).unwrap(LayerCache.class);
  }

  private LayerCacheConfiguration<String, String> memoryAndRedis() {
    RedisConnection.Addresses connection = RedisConnection.Addresses.standalone(redis.uri())
        .withCommandTimeout(Duration.ofMillis(200));
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(connection))
        .setResilience(ResilienceSettings.defaults().withMode(DegradationMode.GRACEFUL)
            .withCircuitBreaker(2, Duration.ofSeconds(30)));
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void aReadAnsweredByRedisCountsARedisHitAndTimesTheCall() {
    LayerCache<String, String> writer = instance("orders", memoryAndRedis());
    LayerCache<String, String> reader = instance("orders", memoryAndRedis());
    LayerCacheMetrics.monitor(registry, reader.asJCache());
    writer.asJCache().put("order:1", "shipped");

    assertThat(reader.asJCache().get("order:1")).isEqualTo("shipped");
    assertThat(reader.asJCache().get("order:1")).isEqualTo("shipped");

    assertThat(counter("layercache.layer.gets", "cache", "orders", "layer", "memory", "result", "miss")).isEqualTo(1);
    assertThat(counter("layercache.layer.gets", "cache", "orders", "layer", "redis", "result", "hit")).isEqualTo(1);
    assertThat(counter("layercache.layer.gets", "cache", "orders", "layer", "memory", "result", "hit")).isEqualTo(1);
    assertThat(counter("layercache.layer.writes", "cache", "orders", "layer", "memory")).as("the backfill")
        .isEqualTo(1);
    FunctionTimer calls = registry.get("layercache.layer.calls").tags("cache", "orders", "layer", "redis")
        .functionTimer();
    assertThat(calls.count()).isGreaterThanOrEqualTo(1);
    assertThat(calls.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(registry.find("cache.size").meter()).as("a Redis-backed cache's size is a key scan: not bound")
        .isNull();
  }

  @Test
  void busMetersCountPublishedAndReceivedMessagesAndReportHealth() {
    LayerCacheConfiguration<String, String> withBus = memoryAndRedis().setBus(BusConfig.of(
        new RedisBusSpec(RedisConnection.Addresses.standalone(redis.uri()), "layercache:micrometer-it"),
        BusSettings.defaults("micrometer-it")));
    LayerCache<String, String> a = instance("bus", withBus);
    LayerCache<String, String> b = instance("bus", withBus);
    LayerCacheMetrics.monitor(registry, a.asJCache(), "instance", "a");
    LayerCacheMetrics.monitor(registry, b.asJCache(), "instance", "b");

    a.asJCache().put("k", "v1");

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(counter("layercache.bus.published", "instance", "a")).isGreaterThanOrEqualTo(1);
      assertThat(counter("layercache.bus.received", "instance", "b")).isGreaterThanOrEqualTo(1);
      assertThat(gauge("layercache.bus.healthy", "instance", "b")).isEqualTo(1);
    });
    assertThat(counter("layercache.bus.rejected", "instance", "b", "reason", "bad_signature")).isZero();
    assertThat(gauge("layercache.bus.transport.up", "instance", "a")).isEqualTo(1);
    io.micrometer.core.instrument.FunctionTimer lag = registry.find("layercache.bus.invalidation.lag")
        .tag("instance", "b").functionTimer();
    assertThat(lag.count()).isGreaterThanOrEqualTo(1);
    // one host, one clock: the mean lag of a put's DELETE is small but never negative
    assertThat(lag.mean(TimeUnit.MILLISECONDS)).isBetween(0.0, 5_000.0);
  }

  @Test
  void theBreakerGaugeOpensWhenRedisIsKilledAndFailuresAreCounted() {
    LayerCache<String, String> cache = instance("breaker", memoryAndRedis());
    LayerCacheMetrics.monitor(registry, cache.asJCache());
    cache.asJCache().put("warm", "v");
    assertThat(gauge("layercache.layer.breaker.open", "cache", "breaker", "layer", "redis")).isZero();

    redis.kill();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(cache.get("cold-" + System.nanoTime(), key -> "loaded")).isEqualTo("loaded");
      assertThat(gauge("layercache.layer.breaker.open", "cache", "breaker", "layer", "redis")).isEqualTo(1);
    });
    assertThat(counter("layercache.layer.failures", "cache", "breaker", "layer", "redis")).isGreaterThanOrEqualTo(2);
    assertThat(gauge("layercache.layer.breaker.open", "cache", "breaker", "layer", "memory")).isZero();
    assertThat(cache.asJCache().get("warm")).as("the memory layer still answers").isEqualTo("v");
  }
}
