package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.Test;

class ExpiryAndEvictionTest extends CacheFixture {

  /** Collects expired events; static so the listener factory can reach it. */
  static final List<String> EXPIRED = new CopyOnWriteArrayList<>();

  /** An expired-event listener. */
  public static final class ExpiredCollector implements CacheEntryExpiredListener<String, String> {
    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> EXPIRED.add(e.getKey()));
    }
  }

  @Test
  void anExpiredEntryReadsAsAbsentAndTellsTheListenerOnTheCallersThread() {
    EXPIRED.clear();
    Cache<String, String> cache = manager.createCache("created-expiry", new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10)))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(ExpiredCollector.class), null, true, true)));
    cache.put("k", "v");
    time.advance(Duration.ofSeconds(9));
    assertThat(cache.get("k")).isEqualTo("v");
    time.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isNull();
    assertThat(EXPIRED).containsExactly("k");
  }

  @Test
  void accessExpiryExtendsTheLifeOfReadEntries() {
    Cache<String, String> cache = manager.createCache("accessed-expiry", new LayerCacheConfiguration<String, String>()
        .setTimeSource(time)
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10))));
    cache.put("k", "v");
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofSeconds(8));
      assertThat(cache.get("k")).isEqualTo("v");
    }
    time.advance(Duration.ofSeconds(11));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void theMemoryLayerStaysWithinItsSizeBoundAndCountsEvictions() {
    Cache<Integer, String> cache = manager.createCache("bounded", new LayerCacheConfiguration<Integer, String>()
        .setLayers(MemoryLayerSpec.ofMaximumSize(50)).setStatisticsEnabled(true));
    for (int i = 0; i < 1_000; i++) {
      cache.put(i, "v" + i);
    }
    @SuppressWarnings("unchecked")
    LayerCache<Integer, String> layered = cache.unwrap(LayerCache.class);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      cache.get(0);
      assertThat(layered.layerStatistics().get(0).evictions()).isGreaterThanOrEqualTo(950);
    });
    int live = 0;
    for (Cache.Entry<Integer, String> ignored : cache) {
      live++;
    }
    assertThat(live).isLessThanOrEqualTo(50);
    assertThat(((CacheProxy<?, ?>) cache).statistics().getCacheEvictions()).isGreaterThanOrEqualTo(950);
  }
}
