package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.CacheFixture;
import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.event.CacheEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TagsAndEntryOptionsTest extends CacheFixture {

  @Test
  void invalidateByTagHidesEntriesWrittenBeforeIt() {
    LayerCache<String, String> cache = layered(stringCache("tags"));
    cache.set("post:1", "a", EntryOptions.defaults().withTags("posts", "user:7"));
    cache.set("post:2", "b", EntryOptions.defaults().withTags("posts"));
    cache.set("user:7", "c", EntryOptions.defaults().withTags("user:7"));
    cache.set("plain", "d", EntryOptions.defaults());

    cache.invalidateByTag("user:7");

    assertThat(cache.asJCache().get("post:1")).isNull();
    assertThat(cache.asJCache().get("user:7")).isNull();
    assertThat(cache.asJCache().get("post:2")).isEqualTo("b");
    assertThat(cache.asJCache().get("plain")).isEqualTo("d");
  }

  @Test
  void entriesWrittenAfterTheInvalidationAreLive() {
    LayerCache<String, String> cache = layered(stringCache("tags-after"));
    cache.set("k", "old", EntryOptions.defaults().withTags("t"));
    cache.invalidateByTag("t");
    cache.set("k", "new", EntryOptions.defaults().withTags("t"));
    assertThat(cache.asJCache().get("k")).isEqualTo("new");
  }

  @Test
  void invalidateByTagsCoversEveryTagAndPublishesEvents() {
    LayerCache<String, String> cache = layered(stringCache("tags-many"));
    List<CacheEvent<String>> events = new CopyOnWriteArrayList<>();
    cache.subscribe(events::add);
    cache.set("a", "1", EntryOptions.defaults().withTags("x"));
    cache.set("b", "2", EntryOptions.defaults().withTags("y"));
    cache.set("c", "3", EntryOptions.defaults().withTags("z"));
    cache.invalidateByTags(List.of("x", "y"));
    assertThat(cache.asJCache().containsKey("a")).isFalse();
    assertThat(cache.asJCache().containsKey("b")).isFalse();
    assertThat(cache.asJCache().containsKey("c")).isTrue();
    assertThat(events).filteredOn(e -> e instanceof CacheEvent.TagInvalidated<String>).hasSize(2);
  }

  @Test
  void perEntryTtlOverridesTheEternalPolicy() {
    LayerCache<String, String> cache = layered(stringCache("ttl"));
    cache.set("short", "v", EntryOptions.defaults().withTtl(Duration.ofSeconds(30)));
    cache.asJCache().put("forever", "v");

    time.advance(Duration.ofSeconds(29));
    assertThat(cache.asJCache().get("short")).isEqualTo("v");
    time.advance(Duration.ofSeconds(2));
    assertThat(cache.asJCache().get("short")).isNull();
    assertThat(cache.asJCache().get("forever")).isEqualTo("v");
  }

  @Test
  void entryInfoDescribesTheEntryWithoutSideEffects() {
    LayerCache<String, String> cache = layered(stringCache("info"));
    cache.set("k", "v", EntryOptions.defaults().withTtl(Duration.ofMinutes(1)).withTags("t1"));
    cache.resetLayerStatistics();

    EntryInfo<String> info = cache.entryInfo("k").orElseThrow();

    assertThat(info.value()).isEqualTo("v");
    assertThat(info.layer()).isEqualTo("memory");
    assertThat(info.tags()).containsExactly("t1");
    assertThat(info.expiresAt()).isEqualTo(info.writtenAt().plus(Duration.ofMinutes(1)));
    assertThat(cache.layerStatistics().get(0).hits()).isZero();
    assertThat(cache.entryInfo("absent")).isEmpty();
  }

  @Test
  void layerCountersCountOnlyWhileStatisticsAreOn() {
    LayerCache<String, String> cache = layered(stringCache("layer-stats-off"));
    cache.asJCache().put("k", "v");
    cache.asJCache().get("k");
    cache.asJCache().get("absent");
    assertThat(cache.layerStatistics()).singleElement().satisfies(stats -> {
      assertThat(stats.hits()).isZero();
      assertThat(stats.misses()).isZero();
      assertThat(stats.writes()).isZero();
    });

    manager.enableStatistics("layer-stats-off", true);
    cache.asJCache().get("k");
    cache.asJCache().get("absent");
    manager.enableStatistics("layer-stats-off", false);
    cache.asJCache().get("k");

    assertThat(cache.layerStatistics()).singleElement().satisfies(stats -> {
      assertThat(stats.hits()).isEqualTo(1);
      assertThat(stats.misses()).isEqualTo(1);
    });
  }

  @Test
  void layerStatisticsCountHitsMissesAndWrites() {
    LayerCache<String, String> cache = layered(stringCache("layer-stats"));
    manager.enableStatistics("layer-stats", true);
    cache.asJCache().put("k", "v");
    cache.asJCache().get("k");
    cache.asJCache().get("k");
    cache.asJCache().get("absent");
    assertThat(cache.layerStatistics()).singleElement().satisfies(stats -> {
      assertThat(stats.layer()).isEqualTo("memory");
      assertThat(stats.hits()).isEqualTo(2);
      assertThat(stats.misses()).isEqualTo(1);
      assertThat(stats.writes()).isEqualTo(1);
      assertThat(stats.hitRate()).isEqualTo(2.0 / 3);
    });
  }

  @Test
  void typedEventsReportHitsMissesLoadsAndWrites() {
    LayerCache<String, String> cache = layered(stringCache("typed-events"));
    List<CacheEvent<String>> events = new CopyOnWriteArrayList<>();
    cache.subscribe(events::add);
    cache.get("k", key -> "v");
    cache.get("k", key -> "unused");
    assertThat(events).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Miss", "LoadStarted", "LoadSucceeded", "Written", "Hit");
  }

  @Test
  void invalidEntryOptionsAreRefusedWithTheSettingName() {
    assertThatThrownBy(() -> EntryOptions.defaults().withTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EntryOptions.ttl");
    assertThatThrownBy(() -> EntryOptions.defaults().withTtl(Duration.ofNanos(500_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> EntryOptions.defaults().withTags(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank tag");
  }
}
