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
  void aFractionOutsideZeroToOneIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> RefreshSettings.disabled().withRefreshAhead(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh.refresh-ahead");
    assertThatThrownBy(() -> RefreshSettings.disabled().withRefreshAhead(-0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh.refresh-ahead");
  }
}
