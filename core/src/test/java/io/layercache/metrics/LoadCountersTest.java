package io.layercache.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LoadStatistics;
import io.layercache.RefreshSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

/**
 * The always-on load counters behind {@code loadStatistics()}: loader calls by outcome and their
 * time, callers joining a load in flight, and stale-while-revalidate serves.
 */
class LoadCountersTest extends CacheFixture {

  private LayerCache<String, String> cache(String name, LayerCacheConfiguration<String, String> config) {
    return layered(manager.createCache(name, config.setTypes(String.class, String.class).setTimeSource(time)));
  }

  @Test
  void loaderCallsAreCountedByOutcomeWithTheirTime() {
    LayerCache<String, String> cache = cache("loads", new LayerCacheConfiguration<>());
    cache.get("k", key -> "v");
    assertThatThrownBy(() -> cache.get("bad", key -> {
      throw new IOException("down");
    })).isInstanceOf(CacheLoaderException.class);
    cache.get("k", key -> "not called: a hit");

    LoadStatistics loads = cache.loadStatistics();
    assertThat(loads.loads()).isEqualTo(1);
    assertThat(loads.loadFailures()).isEqualTo(1);
    assertThat(loads.loadTimeNanos()).isPositive();

    cache.resetLayerStatistics();
    assertThat(cache.loadStatistics().loads()).isZero();
    assertThat(cache.loadStatistics().loadTimeNanos()).isZero();
  }

  @Test
  void aCallerJoiningALoadInFlightIsCounted() throws Exception {
    LayerCache<String, String> cache = cache("joins", new LayerCacheConfiguration<>());
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> cache.get("k", key -> {
      loading.countDown();
      release.await();
      return "once";
    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> cache.get("k", key -> "twice"));

    await().atMost(Duration.ofSeconds(10)).until(() -> cache.loadStatistics().inFlightJoins() == 1);
    release.countDown();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(first.get(10, TimeUnit.SECONDS)).isEqualTo("once");
    assertThat(cache.loadStatistics().loads()).isEqualTo(1);
  }

  @Test
  void staleWhileRevalidateServesAreCounted() {
    LayerCache<String, String> cache = cache("swr", new LayerCacheConfiguration<String, String>()
        .setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1))));
    cache.set("k", "stale", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", key -> "fresh")).isEqualTo("stale");

    assertThat(cache.loadStatistics().staleWhileRevalidateServed()).isEqualTo(1);
    assertThat(cache.loadStatistics().loads()).as("a background refresh is not a reader's load").isZero();
  }
}
