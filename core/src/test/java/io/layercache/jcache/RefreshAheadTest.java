package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.RefreshSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshAheadTest extends CacheFixture {

  private LayerCache<String, String> cache(String name) {
    return layered(manager.createCache(name, new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time)
        .setRefresh(RefreshSettings.disabled().withRefreshAhead(0.8))));
  }

  @Test
  void aReadInTheLastFifthOfTheLifetimeReturnsTheValueAndReloadsItOnceInTheBackground() {
    LayerCache<String, String> cache = cache("ahead");
    cache.set("k", "v1", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);

    time.advance(Duration.ofSeconds(7));
    assertThat(cache.get("k", key -> "never: not due yet")).isEqualTo("v1");
    time.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 5; i++) {
      assertThat(cache.get("k", key -> {
        loads.incrementAndGet();
        release.await();
        return "v2";
      })).isEqualTo("v1");
    }
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> "v2".equals(cache.asJCache().get("k")));
    assertThat(loads).hasValue(1);

    time.advance(Duration.ofSeconds(5));
    assertThat(cache.asJCache().get("k")).as("the refreshed entry has a new lifetime").isEqualTo("v2");
  }

  @Test
  void listenersSeeARefreshAheadAsAnUpdateWithTheOldValue() {
    java.util.List<javax.cache.event.CacheEntryEvent<?, ?>> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time)
        .setRefresh(RefreshSettings.disabled().withRefreshAhead(0.5));
    config.addCacheEntryListenerConfiguration(new javax.cache.configuration.MutableCacheEntryListenerConfiguration<>(
        javax.cache.configuration.FactoryBuilder.factoryOf(new UpdateRecorder(events)), null, true, true));
    LayerCache<String, String> cache = layered(manager.createCache("ahead-events", config));
    cache.set("k", "v1", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(6));

    assertThat(cache.get("k", key -> "v2")).isEqualTo("v1");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    assertThat(events.get(0).getEventType()).isEqualTo(javax.cache.event.EventType.UPDATED);
    assertThat(events.get(0).getOldValue()).isEqualTo("v1");
    assertThat(events.get(0).getValue()).isEqualTo("v2");
  }

  /** Records updates and creations (a creation here would be wrong). */
  public static final class UpdateRecorder implements javax.cache.event.CacheEntryUpdatedListener<String, String>,
      javax.cache.event.CacheEntryCreatedListener<String, String>, java.io.Serializable {
    private final transient java.util.List<javax.cache.event.CacheEntryEvent<?, ?>> events;
    private final transient boolean[] armed = {false};

    UpdateRecorder(java.util.List<javax.cache.event.CacheEntryEvent<?, ?>> events) {
      this.events = events;
    }

    @Override
    public void onUpdated(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> batch) {
      batch.forEach(events::add);
    }

    @Override
    public void onCreated(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> batch) {
      // the initial set creates the entry; any later creation is recorded as a defect
      if (armed[0]) {
        batch.forEach(events::add);
      }
      armed[0] = true;
    }
  }

  @Test
  void aNegativeOrZeroStaleWindowIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> RefreshSettings.staleWhileRevalidate(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh.stale-while-revalidate");
    assertThatThrownBy(() -> RefreshSettings.staleWhileRevalidate(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh.stale-while-revalidate");
  }

  @Test
  void aFractionOutsideZeroToOneIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> RefreshSettings.disabled().withRefreshAhead(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh.refresh-ahead");
    assertThatThrownBy(() -> RefreshSettings.disabled().withRefreshAhead(-0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh.refresh-ahead");
  }
}
