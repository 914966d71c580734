package io.layercache.examples.micrometer;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import io.layercache.TimeSource;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.micrometer.LayerCacheMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * Binds a memory-only cache's meters to a Prometheus registry, does a little work (hits, misses,
 * loads, a failed load that fail-safe answers with the last good value, a remembered "not found")
 * and prints the Prometheus scrape. Needs no server.
 */
public final class PrometheusScrape {

  /** A clock the example moves by hand, to show expiry and fail-safe without waiting. */
  static final class MovableClock implements TimeSource {
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    @Override
    public long currentTimeMillis() {
      return now.get();
    }

    void advance(Duration duration) {
      now.addAndGet(duration.toMillis());
    }
  }

  private PrometheusScrape() {}

  public static void main(String[] args) {
    System.out.print(scrape());
  }

  /** Does the work and returns the registry's scrape in the Prometheus text format. */
  @SuppressWarnings("unchecked")
  static String scrape() {
    MovableClock clock = new MovableClock();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("micrometer-example"), PrometheusScrape.class.getClassLoader())) {
      LayerCache<String, String> users = manager.createCache("users", new LayerCacheConfiguration<String, String>()
          .setTypes(String.class, String.class)
          .setStatisticsEnabled(true) // the standard cache.gets/puts/evictions meters count JCache statistics
          .setTimeSource(clock)
          .setFailSafe(FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30)))
          .setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofMinutes(1))))
          .unwrap(LayerCache.class);
      LayerCacheMetrics.monitor(registry, manager, Tags.of("app", "example"));

      users.get("user:1", id -> "Ada Lovelace");             // a miss and a load
      users.get("user:1", id -> "never called");             // a hit
      users.get("user:404", id -> null);                     // a load that finds nothing: remembered
      users.get("user:404", id -> "never called");           // answered by the remembered "not found"
      users.set("user:7", "Grace Hopper", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
      clock.advance(Duration.ofSeconds(11));                 // user:7 expires
      users.get("user:7", id -> {                            // the database is down: fail-safe serves
        throw new IOException("database down");              // the last good value
      });
      return registry.scrape();
    }
  }
}
