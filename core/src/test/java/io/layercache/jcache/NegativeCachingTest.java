package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.CacheFixture;
import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import io.layercache.event.CacheEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;

class NegativeCachingTest extends CacheFixture {

  private LayerCache<String, String> cache(String name, LayerCacheConfiguration<String, String> config) {
    return layered(manager.createCache(name, config.setTypes(String.class, String.class).setTimeSource(time)
        .setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofSeconds(5)))));
  }

  @Test
  void aNotFoundIsRememberedForItsTtlAndIsAPlainMissThroughJCache() {
    LayerCache<String, String> cache = cache("negative", new LayerCacheConfiguration<>());
    AtomicInteger origin = new AtomicInteger();

    for (int i = 0; i < 10; i++) {
      assertThat(cache.get("missing", key -> {
        origin.incrementAndGet();
        return null;
      })).isNull();
    }
    assertThat(origin).as("origin calls while the not-found is remembered").hasValue(1);
    assertThat(cache.loadStatistics().notFoundStored()).isEqualTo(1);
    assertThat(cache.loadStatistics().notFoundHits()).isEqualTo(9);
    Cache<String, String> jcache = cache.asJCache();
    assertThat(jcache.get("missing")).isNull();
    assertThat(jcache.containsKey("missing")).isFalse();
    List<String> keys = new ArrayList<>();
    jcache.forEach(entry -> keys.add(entry.getKey()));
    assertThat(keys).isEmpty();
    assertThat(jcache.getAndPut("other", "x")).isNull();
    assertThat(cache.entryInfo("missing")).get().satisfies(info -> {
      assertThat(info.freshness()).isEqualTo(EntryInfo.Freshness.NOT_FOUND);
      assertThat(info.value()).isNull();
    });
    assertThat(jcache.<Boolean>invoke("missing", (entry, args) -> entry.exists())).isFalse();

    time.advance(Duration.ofSeconds(6));
    assertThat(cache.get("missing", key -> "now here")).isEqualTo("now here");
    assertThat(origin).hasValue(1);
  }

  @Test
  void removeForgetsARememberedNotFoundWithoutReportingARemoval() {
    LayerCache<String, String> cache = cache("negative-remove", new LayerCacheConfiguration<>());
    assertThat(cache.get("k", key -> null)).isNull();
    assertThat(cache.asJCache().remove("k")).isFalse();
    assertThat(cache.entryInfo("k")).isEmpty();
    assertThat(cache.get("k", key -> "loaded")).isEqualTo("loaded");
  }

  @Test
  void anyWriteReplacesARememberedNotFoundAsACreation() {
    List<CacheEntryEvent<?, ?>> created = new CopyOnWriteArrayList<>();
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<>();
    config.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Recorder(created)), null, false, true));
    LayerCache<String, String> cache = cache("negative-then-put", config);
    assertThat(cache.get("k", key -> null)).isNull();

    assertThat(cache.asJCache().putIfAbsent("k", "v")).isTrue();
    assertThat(cache.asJCache().get("k")).isEqualTo("v");
    assertThat(created).hasSize(1);
    assertThat(created.get(0).getEventType()).isEqualTo(javax.cache.event.EventType.CREATED);
  }

  @Test
  void readThroughLoaderNullsAreRememberedAndExpireWithoutEvents() {
    AtomicInteger origin = new AtomicInteger();
    List<CacheEntryEvent<?, ?>> events = new CopyOnWriteArrayList<>();
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<>();
    config.setReadThrough(true).setCacheLoaderFactory(FactoryBuilder.factoryOf(new CountingNullLoader(origin)));
    config.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Recorder(events)), null, false, true));
    LayerCache<String, String> cache = cache("negative-read-through", config);
    List<CacheEvent<String>> typed = new CopyOnWriteArrayList<>();
    cache.subscribe(typed::add);

    assertThat(cache.asJCache().get("k")).isNull();
    assertThat(cache.asJCache().get("k")).isNull();
    assertThat(origin).hasValue(1);
    time.advance(Duration.ofSeconds(6));
    assertThat(cache.asJCache().get("k")).isNull();
    assertThat(origin).hasValue(2);
    assertThat(events).as("JCache events for remembered not-founds").isEmpty();
    assertThat(typed).noneMatch(e -> e instanceof CacheEvent.Expired<String> || e instanceof CacheEvent.Written<String>);
  }

  @Test
  void aTtlBelowOneMillisecondIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> NegativeCachingSettings.remembering(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative-caching.ttl");
  }

  /** Records created and expired events. */
  public static final class Recorder implements CacheEntryCreatedListener<String, String>,
      CacheEntryExpiredListener<String, String>, java.io.Serializable {
    private final transient List<CacheEntryEvent<?, ?>> events;

    Recorder(List<CacheEntryEvent<?, ?>> events) {
      this.events = events;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) throws CacheEntryListenerException {
      batch.forEach(events::add);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) throws CacheEntryListenerException {
      batch.forEach(events::add);
    }
  }

  /** A loader that finds nothing and counts its calls. */
  public static final class CountingNullLoader implements CacheLoader<String, String>, java.io.Serializable {
    private final transient AtomicInteger calls;

    CountingNullLoader(AtomicInteger calls) {
      this.calls = calls;
    }

    @Override
    public String load(String key) {
      calls.incrementAndGet();
      return null;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      return java.util.Map.of();
    }
  }
}
