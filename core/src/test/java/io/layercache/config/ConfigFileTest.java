package io.layercache.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.net.URI;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.Test;

class ConfigFileTest {

  private final ClassLoader loader = getClass().getClassLoader();
  private final Config reference = ConfigFactory.defaultReference(loader);

  private CacheTemplates parse(String hocon) {
    return ConfigFileReader.templates(ConfigFactory.parseString(hocon).withFallback(reference).resolve(), reference, loader);
  }

  @Test
  void declaredCachesAreCreatedWithTheirManagerFromAClasspathFile() {
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("classpath:layercache-test.conf"), loader);
    try {
      assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("orders", "sessions");
      Cache<String, String> orders = manager.getCache("orders", String.class, String.class);
      @SuppressWarnings("unchecked")
      LayerCacheConfiguration<String, String> config = orders.getConfiguration(LayerCacheConfiguration.class);
      assertThat(config.isStatisticsEnabled()).isTrue();
      assertThat(config.getExpiryPolicyFactory().create()).isInstanceOf(CreatedExpiryPolicy.class);
      assertThat(config.getLayers()).containsExactly(MemoryLayerSpec.ofMaximumSize(500));
      orders.put("o1", "paid");
      assertThat(orders.unwrap(LayerCache.class).layerStatistics()).hasSize(1);

      Cache<Object, Object> sessions = manager.getCache("sessions");
      assertThat(sessions.getConfiguration(LayerCacheConfiguration.class).getDefaultEntryOptions().ttl())
          .isEqualTo(Duration.ofMinutes(30));
    } finally {
      manager.close();
    }
  }

  @Test
  void aMisspelledSettingFailsWithItsFullPath() {
    assertThatThrownBy(() -> parse("layercache.caches.orders.memory.maximum-szie = 10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("layercache.caches.orders.memory.maximum-szie: unknown setting");
    assertThatThrownBy(() -> parse("layercache.defualt.statistics = true"))
        .hasMessageStartingWith("layercache.defualt: unknown setting");
  }

  @Test
  void invalidValuesNameTheirSetting() {
    assertThatThrownBy(() -> parse("layercache.caches.a.memory.maximum-size = -1"))
        .hasMessageContaining("layercache.caches.a.memory").hasMessageContaining("maximum-size must be >= 0");
    assertThatThrownBy(() -> parse("layercache.caches.a.statistics = maybe"))
        .hasMessageStartingWith("layercache.caches.a.statistics:");
    assertThatThrownBy(() -> parse("layercache.caches.a.expiry.policy = created"))
        .hasMessageContaining("layercache.caches.a.expiry.duration is required with policy = created");
    assertThatThrownBy(() -> parse("layercache.caches.a.read-through = true"))
        .hasMessageContaining("layercache.caches.a.read-through = true needs layercache.caches.a.loader");
    assertThatThrownBy(() -> parse("layercache.caches.a.loader = com.example.Missing"))
        .hasMessageContaining("layercache.caches.a.loader: class com.example.Missing was not found");
    assertThatThrownBy(() -> parse("layercache.caches.a.entry.ttl = 0s"))
        .hasMessageContaining("layercache.caches.a.entry").hasMessageContaining("EntryOptions.ttl must be at least 1 ms");
  }

  @Test
  void sizeAndWeightBoundsAreExclusiveInTheFileToo() {
    assertThatThrownBy(() -> parse("layercache.caches.a.memory { maximum-size = 10, maximum-weight = 10,"
        + " weigher = \"io.layercache.config.ConfigFileTest$OneWeigher\" }"))
        .hasMessageContaining("maximum-size and memory.maximum-weight are exclusive");
  }

  @Test
  void aBadLayerSettingNamesItsPathOnce() {
    assertThatThrownBy(() -> parse("layercache.caches.orders.memory.ttl = soon"))
        .hasMessageStartingWith("layercache.caches.orders.memory.ttl:")
        .satisfies(e -> assertThat(e.getMessage().split("layercache.caches.orders.memory", -1)).hasSize(2));
  }

  /** A weigher for the exclusivity test. */
  public static final class OneWeigher implements com.github.benmanes.caffeine.cache.Weigher<Object, Object> {
    @Override
    public int weigh(Object key, Object value) {
      return 1;
    }
  }

  @Test
  void aLayerFromAMissingModuleNamesTheArtifact() {
    assertThatThrownBy(() -> parse("layercache.caches.a { layers = [memory, redis] }"))
        .hasMessageContaining("layercache.caches.a.layers")
        .hasMessageContaining("io.layercache:layercache-redis");
  }

  @Test
  void resilienceAndFailSafeAreReadFromTheFileAndValidatedByName() {
    CacheTemplates templates = parse("layercache.caches.a { resilience { mode = graceful,"
        + " circuit-breaker.failure-threshold = 3 }, fail-safe { enabled = true, hard-timeout = 250ms } }");
    var config = templates.caches().get("a");
    assertThat(config.getResilience().mode()).isEqualTo(io.layercache.DegradationMode.GRACEFUL);
    assertThat(config.getResilience().failureThreshold()).isEqualTo(3);
    assertThat(config.getFailSafe().enabled()).isTrue();
    assertThat(config.getFailSafe().hardTimeout()).isEqualTo(Duration.ofMillis(250));

    assertThatThrownBy(() -> parse("layercache.caches.a.resilience.mode = sometimes"))
        .hasMessageContaining("layercache.caches.a.resilience.mode must be strict or graceful");
    assertThatThrownBy(() -> parse("layercache.caches.a.fail-safe { max-staleness = 1m, throttle = 2h }"))
        .hasMessageContaining("layercache.caches.a.fail-safe").hasMessageContaining("fail-safe.throttle");
    assertThatThrownBy(() -> parse("layercache.caches.a.resilience.circuit-breaker.failure-threshold = 0"))
        .hasMessageContaining("failure-threshold must be >= 1");
  }

  @Test
  void singleFlightNegativeCachingAndLoaderTimeoutsAreReadFromTheFileAndValidatedByName() {
    var config = parse("layercache.caches.a { single-flight { distributed = true, lease = 2s, wait = 300ms },"
        + " negative-caching.ttl = 30s, fail-safe { enabled = true, soft-timeout = 100ms, hard-timeout = 2s } }")
        .caches().get("a");
    assertThat(config.getSingleFlight().distributed()).isTrue();
    assertThat(config.getSingleFlight().lease()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.getSingleFlight().maxWait()).isEqualTo(Duration.ofMillis(300));
    assertThat(config.getNegativeCaching().ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.getFailSafe().softTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(parse("layercache.caches.b.resilience { mode = graceful, remote-soft-timeout = 50ms }").caches().get("b")
        .getResilience().remoteSoftTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThatThrownBy(() -> parse("layercache.caches.a.resilience { mode = graceful, remote-soft-timeout = 0s }"))
        .hasMessageContaining("resilience.remote-soft-timeout must be positive");
    assertThatThrownBy(() -> parse("layercache.caches.a.resilience.remote-soft-timeout = 50ms"))
        .hasMessageContaining("layercache.caches.a.resilience")
        .hasMessageContaining("resilience.remote-soft-timeout needs resilience.mode = graceful");

    assertThatThrownBy(() -> parse("layercache.caches.a.single-flight.lease = 10ms"))
        .hasMessageContaining("layercache.caches.a.single-flight").hasMessageContaining("single-flight.lease");
    assertThatThrownBy(() -> parse("layercache.caches.a.single-flight.wait = -1s"))
        .hasMessageContaining("single-flight.wait must not be negative");
    assertThatThrownBy(() -> parse("layercache.caches.a.memory { unbounded = true, maximum-size = 10 }"))
        .hasMessageContaining("layercache.caches.a.memory.unbounded = true excludes memory.maximum-size");
    assertThatThrownBy(() -> parse("layercache.caches.a.refresh.timeout = 0s"))
        .hasMessageContaining("layercache.caches.a.refresh").hasMessageContaining("refresh.timeout must be positive");
    assertThatThrownBy(() -> parse("layercache.caches.a.negative-caching.ttl = 0ms"))
        .hasMessageContaining("layercache.caches.a.negative-caching").hasMessageContaining("negative-caching.ttl");
    assertThatThrownBy(() -> parse("layercache.caches.a.fail-safe { soft-timeout = 2s, hard-timeout = 1s }"))
        .hasMessageContaining("layercache.caches.a.fail-safe").hasMessageContaining("soft-timeout")
        .hasMessageContaining("shorter than fail-safe.hard-timeout");
  }

  @Test
  void theTagRefreshIntervalIsReadFromTheFileDefaultsToFiveSecondsAndIsValidatedByName() {
    assertThat(parse("").defaults().getTags().refreshInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(parse("layercache.caches.a.tags.refresh-interval = 250ms").caches().get("a").getTags()
        .refreshInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(parse("layercache.caches.a.tags.refresh-interval = 0s").caches().get("a").getTags().refreshMillis())
        .isZero();
    assertThatThrownBy(() -> parse("layercache.caches.a.tags.refresh-interval = -1s"))
        .hasMessageContaining("layercache.caches.a.tags").hasMessageContaining("tags.refresh-interval must be >= 0");
    assertThatThrownBy(() -> parse("layercache.caches.a.tags.refresh-interval = null"))
        .hasMessageContaining("layercache.caches.a.tags").hasMessageContaining("tags.refresh-interval");
    assertThatThrownBy(() -> parse("layercache.caches.a.tags.refresh-intervall = 1s"))
        .hasMessageStartingWith("layercache.caches.a.tags.refresh-intervall: unknown setting");
  }

  @Test
  void cacheNamesWithDotsStayOneKey() {
    CacheTemplates templates = parse("layercache.caches { \"com.example.Orders\" { statistics = true } }");
    assertThat(templates.caches()).containsOnlyKeys("com.example.Orders");
  }
}
