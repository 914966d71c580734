package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.RefreshSettings;
import io.layercache.event.CacheEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StaleWhileRevalidateTest extends CacheFixture {

  private LayerCache<String, String> cache(String name) {
    LayerCache<String, String> cache = layered(manager.createCache(name, new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time)
        .setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1)))));
    cache.set("k", "stale", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    return cache;
  }

  @Test
  void returnsTheStaleValueAtOnceAndRefreshesOnceInTheBackground() {
    LayerCache<String, String> cache = cache("swr");
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      assertThat(cache.get("k", key -> {
        loads.incrementAndGet();
        release.await();
        return "fresh";
      })).isEqualTo("stale");
    }
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> "fresh".equals(cache.asJCache().get("k")));
    assertThat(loads).hasValue(1);
  }

  @Test
  void aRefreshFinishingAfterARemoveDoesNotPutTheValueBack() {
    LayerCache<String, String> cache = cache("swr-remove");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loading = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    assertThat(cache.get("k", key -> {
      loading.countDown();
      release.await();
      finished.incrementAndGet();
      return "resurrected?";
    })).isEqualTo("stale");
    await().atMost(Duration.ofSeconds(10)).until(() -> loading.getCount() == 0);
    cache.asJCache().remove("k");
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 1);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> !cache.asJCache().containsKey("k"));
  }

  @Test
  void aFailedRefreshIsReportedAndNeverThrownToReaders() {
    LayerCache<String, String> cache = cache("swr-failure");
    List<CacheEvent<String>> events = new CopyOnWriteArrayList<>();
    cache.subscribe(events::add);
    assertThat(cache.get("k", key -> {
      throw new IOException("origin down");
    })).isEqualTo("stale");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().anyMatch(e -> e instanceof CacheEvent.LoadFailed<String>));
    assertThat(cache.get("k", key -> "later")).isIn("stale", "later");
  }

  @Test
  void pastTheWindowTheReaderWaitsForTheLoad() {
    LayerCache<String, String> cache = cache("swr-window");
    time.advance(Duration.ofMinutes(2));
    assertThat(cache.get("k", key -> "fresh")).isEqualTo("fresh");
  }
}
