package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.Loader;
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

  /**
   * A background refresh had no timeout: a hanging origin left its refresh running for ever,
   * unreported, holding its thread. Past refresh.timeout it is reported, its thread interrupted
   * and its late value dropped; stale readers meanwhile never start a second concurrent load.
   */
  @Test
  void aHangingRefreshIsReportedAtTheRefreshTimeoutAndItsLateValueDropped() {
    LayerCache<String, String> cache = layered(manager.createCache("swr-timeout",
        new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class).setTimeSource(time)
            .setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1))
                .withTimeout(Duration.ofMillis(100)))));
    cache.set("k", "stale", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    List<CacheEvent<String>> timeouts = new CopyOnWriteArrayList<>();
    cache.subscribe(event -> {
      if (event instanceof CacheEvent.LoaderTimedOut<String>) {
        timeouts.add(event);
      }
    });
    List<Object> stored = new CopyOnWriteArrayList<>();
    ((CacheProxy<String, String>) cache.asJCache()).core().changes().subscribe(changes ->
        changes.forEach(change -> stored.add(change.newValue())));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    Loader<String, String> hanging = key -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        new CountDownLatch(1).await(); // hangs until interrupted
        return "never";
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw e;
      } finally {
        running.decrementAndGet();
      }
    };
    assertThat(cache.get("k", hanging)).isEqualTo("stale");
    await().atMost(Duration.ofSeconds(10)).until(() -> timeouts.size() == 1 && interrupted.get() == 1);
    assertThat(cache.loadStatistics().refreshFailures()).isEqualTo(1);
    for (int i = 0; i < 20; i++) {
      assertThat(cache.get("k", hanging)).isEqualTo("stale");
    }
    assertThat(mostAtOnce).as("hanging loads at once, however many stale reads").hasValue(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> "fresh".equals(cache.get("k", key -> "fresh")));
    assertThat(stored).as("values stored: never a late one").containsOnly("fresh");
  }


}
