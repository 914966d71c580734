package io.layercache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.FailSafeSettings;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisConnection;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A memory+Redis cache with a Redis bus bound to a Prometheus registry: the scrape carries the
 * standard and LayerCache families with the values the work produced. The scrape is also written
 * to {@code target/prometheus-scrape.txt}, the source of the sample in docs/micrometer.md.
 */
@ExtendWith(RedisServerExtension.class)
class PrometheusScrapeIT {

  @Test
  @SuppressWarnings("unchecked")
  void theScrapeCarriesTheStandardAndTheLayerCacheFamilies(RedisServer redis) throws IOException {
    RedisConnection.Addresses connection = RedisConnection.Addresses.standalone(redis.uri());
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(true)
        .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(connection))
        .setFailSafe(FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30)))
        .setBus(BusConfig.of(new RedisBusSpec(connection, "layercache:scrape-it"), BusSettings.defaults("scrape-it")));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("scrape:" + UUID.randomUUID()), getClass().getClassLoader())) {
      LayerCache<String, String> users = manager.createCache("users", config).unwrap(LayerCache.class);
      LayerCacheMetrics.monitor(registry, manager, java.util.List.of());

      users.get("user:1", key -> "Ada");
      users.get("user:1", key -> "never called");
      users.asJCache().get("user:2");
      users.set("user:3", "Grace", EntryOptions.defaults().withTtl(Duration.ofMillis(1)));
      await().atMost(Duration.ofSeconds(5)).until(() -> !users.has("user:3"));
      assertThat(users.get("user:3", key -> {
        throw new IOException("database down");
      })).isEqualTo("Grace");
      await().atMost(Duration.ofSeconds(15)).until(() -> users.busStatistics().orElseThrow().healthy());

      String scrape = registry.scrape();
      Files.writeString(Path.of("target", "prometheus-scrape.txt"), scrape);

      assertThat(scrape).contains(
          "cache_gets_total{cache=\"users\",result=\"hit\"} 1.0",
          "cache_gets_total{cache=\"users\",result=\"miss\"} 3.0",
          "cache_puts_total{cache=\"users\"} 2.0",
          "layercache_layer_gets_total{cache=\"users\",layer=\"memory\",result=\"hit\"} 1.0",
          "layercache_layer_gets_total{cache=\"users\",layer=\"redis\",result=\"miss\"} 4.0",
          "layercache_loads_total{cache=\"users\",result=\"success\"} 1.0",
          "layercache_loads_total{cache=\"users\",result=\"failure\"} 1.0",
          "layercache_load_duration_seconds_count{cache=\"users\"} 2",
          "layercache_stale_served_total{cache=\"users\",reason=\"fail-safe\"} 1.0",
          "layercache_layer_breaker_open{cache=\"users\",layer=\"redis\"} 0.0",
          "layercache_bus_healthy{cache=\"users\"} 1.0",
          "layercache_bus_rejected_total{cache=\"users\",reason=\"malformed\"} 0.0");
      assertThat(scrape)
          .containsPattern("layercache_layer_calls_seconds_count\\{cache=\"users\",layer=\"redis\"} [1-9]");
      assertThat(scrape).containsPattern("layercache_bus_published_total\\{cache=\"users\"} [1-9]");
    }
  }
}
