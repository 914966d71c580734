package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.event.CacheEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

class FailSafeTest extends CacheFixture {

  private LayerCache<String, String> cache(String name, FailSafeSettings failSafe) {
    return layered(manager.createCache(name, new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time).setFailSafe(failSafe)));
  }

  @Test
  void servesLastGoodValueWhenLoaderFailsAndFailSafeIsOn() {
    LayerCache<String, String> cache = cache("fail-safe",
        FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30)));
    List<CacheEvent<String>> events = new CopyOnWriteArrayList<>();
    cache.subscribe(events::add);
    cache.set("k", "last good", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    AtomicInteger origin = new AtomicInteger();

    assertThat(cache.get("k", key -> {
      origin.incrementAndGet();
      throw new IOException("origin down");
    })).isEqualTo("last good");
    assertThat(events).filteredOn(e -> e instanceof CacheEvent.FailSafeActivated<String>).hasSize(1);

    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofSeconds(5));
      assertThat(cache.get("k", key -> {
        origin.incrementAndGet();
        throw new IOException("origin down");
      })).isEqualTo("last good");
    }
    assertThat(origin).as("origin calls within one throttle period").hasValue(1);

    time.advance(Duration.ofSeconds(6));
    assertThat(cache.get("k", key -> "fresh")).isEqualTo("fresh");
    assertThat(cache.asJCache().get("k")).isEqualTo("fresh");
  }

  @Test
  void neverServesAValueOlderThanTheMaximumStaleness() {
    LayerCache<String, String> cache = cache("too-stale",
        FailSafeSettings.disabled().enabled(Duration.ofMinutes(1), Duration.ofSeconds(10)));
    cache.set("k", "old", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofMinutes(2));
    assertThatThrownBy(() -> cache.get("k", key -> {
      throw new IOException("origin down");
    })).isInstanceOf(CacheLoaderException.class).hasRootCauseMessage("origin down");
  }

  @Test
  void aStaleEntryIsNotVisibleThroughPlainReads() {
    LayerCache<String, String> cache = cache("hidden-stale",
        FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30)));
    cache.set("k", "v", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    assertThat(cache.asJCache().get("k")).isNull();
    assertThat(cache.asJCache().containsKey("k")).isFalse();
    assertThat(cache.get("k", key -> {
      throw new IOException("down");
    })).isEqualTo("v");
  }

  @Test
  void aSlowLoaderGivesTheStaleValueAtTheTimeoutAndItsValueLater() throws Exception {
    LayerCache<String, String> cache = cache("slow-origin",
        FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30))
            .withHardTimeout(Duration.ofMillis(100)));
    cache.set("k", "stale", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    CountDownLatch release = new CountDownLatch(1);

    assertThat(cache.get("k", key -> {
      release.await();
      return "fresh";
    })).isEqualTo("stale");

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> "fresh".equals(cache.asJCache().get("k")));
  }

  @Test
  void aSlowLoaderWithoutAStaleValueFailsAtTheTimeoutNamingTheSetting() {
    LayerCache<String, String> cache = cache("slow-cold",
        FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(100)));
    CountDownLatch never = new CountDownLatch(1);
    assertThatThrownBy(() -> cache.get("k", key -> {
      never.await();
      return "late";
    })).isInstanceOf(CacheLoaderException.class).hasMessageContaining("fail-safe.hard-timeout");
    never.countDown();
  }

  @Test
  void inconsistentDurationsAreRejectedWithTheSettingName() {
    assertThatThrownBy(() -> FailSafeSettings.disabled().enabled(Duration.ofSeconds(10), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fail-safe.throttle");
    assertThatThrownBy(() -> FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fail-safe.hard-timeout");
  }

  @Test
  void theSoftTimeoutGivesTheStaleValueEarlyAndTheHardTimeoutBoundsCallersWithoutOne() throws Exception {
    LayerCache<String, String> cache = cache("soft-hard",
        FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30))
            .withSoftTimeout(Duration.ofMillis(50)).withHardTimeout(Duration.ofSeconds(30)));
    cache.set("k", "stale", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    CountDownLatch release = new CountDownLatch(1);

    long start = System.nanoTime();
    assertThat(cache.get("k", key -> {
      release.await();
      return "fresh";
    })).isEqualTo("stale");
    // far below the 30 s hard timeout: the soft timeout answered
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(cache.entryInfo("k")).get().extracting(EntryInfo::freshness).isEqualTo(EntryInfo.Freshness.FAIL_SAFE);

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> "fresh".equals(cache.asJCache().get("k")));
    assertThat(cache.entryInfo("k")).get().extracting(EntryInfo::freshness).isEqualTo(EntryInfo.Freshness.FRESH);
  }

  @Test
  void entryInfoTellsFreshFromKeptForFailSafe() {
    LayerCache<String, String> cache = cache("freshness",
        FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30)));
    cache.set("k", "v", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    assertThat(cache.entryInfo("k")).get().extracting(EntryInfo::freshness).isEqualTo(EntryInfo.Freshness.FRESH);
    time.advance(Duration.ofSeconds(11));
    assertThat(cache.entryInfo("k")).get().satisfies(info -> {
      assertThat(info.freshness()).isEqualTo(EntryInfo.Freshness.FAIL_SAFE);
      assertThat(info.value()).isEqualTo("v");
    });
    time.advance(Duration.ofHours(2));
    assertThat(cache.entryInfo("k")).isEmpty();
  }

  @Test
  void aSoftTimeoutNotShorterThanTheHardOneIsRejectedNamingBoth() {
    assertThatThrownBy(() -> FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(100))
        .withSoftTimeout(Duration.ofMillis(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fail-safe.soft-timeout").hasMessageContaining("fail-safe.hard-timeout");
    assertThatThrownBy(() -> FailSafeSettings.disabled().withSoftTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fail-safe.soft-timeout");
  }
}
