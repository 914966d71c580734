package io.layercache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.jcache.LayerCachingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's own {@link JCacheMetrics}, which reads the standard statistics MXBean over JMX,
 * works unchanged on a LayerCache cache, and agrees with {@link LayerCacheMeterBinder}.
 */
class JCacheMetricsCompatibilityTest {

  private CacheManager manager;

  @BeforeEach
  void openManager() {
    manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("jcache-metrics:" + UUID.randomUUID()), getClass().getClassLoader());
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private static void work(Cache<String, String> cache) {
    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.get("a");
    cache.get("b");
    cache.get("absent");
    cache.remove("b");
  }

  @Test
  void jcacheMetricsReadsTheStatisticsMxBeanOfAPlainJCacheConfiguration() {
    Cache<String, String> cache = manager.createCache("plain",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class).setStatisticsEnabled(true));
    MeterRegistry registry = new SimpleMeterRegistry();
    JCacheMetrics.monitor(registry, cache);

    work(cache);

    assertThat(registry.get("cache.gets").tags("cache", "plain", "result", "hit").functionCounter().count())
        .isEqualTo(3);
    assertThat(registry.get("cache.gets").tags("cache", "plain", "result", "miss").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.puts").tags("cache", "plain").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("cache.removals").tags("cache", "plain").gauge().value()).isEqualTo(1);
  }

  @Test
  void bothBindersReportTheSameStandardMeters() {
    // a plain JCache configuration: the binder needs no LayerCache-specific one
    Cache<String, String> cache = manager.createCache("both",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class).setStatisticsEnabled(true));
    MeterRegistry viaJmx = new SimpleMeterRegistry();
    MeterRegistry direct = new SimpleMeterRegistry();
    JCacheMetrics.monitor(viaJmx, cache);
    LayerCacheMetrics.monitor(direct, cache);

    work(cache);

    for (String result : new String[] {"hit", "miss"}) {
      assertThat(direct.get("cache.gets").tags("result", result).functionCounter().count())
          .isEqualTo(viaJmx.get("cache.gets").tags("result", result).functionCounter().count());
    }
    assertThat(direct.get("cache.puts").functionCounter().count())
        .isEqualTo(viaJmx.get("cache.puts").functionCounter().count()).isEqualTo(2);
    assertThat(direct.get("cache.evictions").functionCounter().count())
        .isEqualTo(viaJmx.get("cache.evictions").functionCounter().count());
  }
}
