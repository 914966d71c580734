package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.event.CacheEvent;
import java.time.Duration;
import java.util.List;
import javax.cache.expiry.AccessedExpiryPolicy;
import org.junit.jupiter.api.Test;

/**
 * A memory-only cache keeps eternal, untagged values bare (no wrapper, no write stamp); to its
 * users that shows only as an {@link EntryInfo} without a write time. Every other cache, and
 * every other entry, keeps its stamp.
 */
class BareEternalValuesTest extends TopologyFixture {

  @Test
  void aBareHitIsAHitInEveryCountAndEvent() {
    LayerCache<String, String> cache = instances.newCache("bare-hits", memoryOnly().setStatisticsEnabled(true));
    List<CacheEvent.Hit<String>> hits = record(cache, type(CacheEvent.Hit.class));
    cache.asJCache().put("k", "v");

    assertThat(cache.asJCache().get("k")).isEqualTo("v");
    assertThat(cache.get("k", key -> "loaded")).isEqualTo("v");

    assertThat(hits).hasSize(2).allSatisfy(hit -> assertThat(hit.layer()).isEqualTo("memory"));
    assertThat(cache.layerStatistics()).singleElement().satisfies(memory -> assertThat(memory.hits()).isEqualTo(2));
    assertThat(statistics(cache).getCacheHits()).isEqualTo(2);
  }

  @Test
  void entryInfoOfABareValueHasNoWriteTime() {
    LayerCache<String, String> cache = instances.newCache("bare-info", memoryOnly());
    cache.asJCache().put("plain", "v");
    cache.set("tagged", "t", EntryOptions.defaults().withTags("tag"));
    cache.set("expiring", "e", EntryOptions.defaults().withTtl(Duration.ofMinutes(1)));

    EntryInfo<String> plain = cache.entryInfo("plain").orElseThrow();
    assertThat(plain.value()).isEqualTo("v");
    assertThat(plain.writtenAt()).isNull();
    assertThat(plain.expiresAt()).isNull();
    assertThat(plain.freshness()).isEqualTo(EntryInfo.Freshness.FRESH);
    assertThat(cache.entryInfo("tagged").orElseThrow().writtenAt()).isNotNull();
    assertThat(cache.entryInfo("expiring").orElseThrow().writtenAt()).isNotNull();
  }

  @Test
  void tagInvalidationStillReachesTaggedEntriesBesideBareOnes() {
    LayerCache<String, String> cache = instances.newCache("bare-tags", memoryOnly());
    cache.asJCache().put("plain", "v");
    cache.set("tagged", "t", EntryOptions.defaults().withTags("tag"));

    cache.invalidateByTag("tag");

    assertThat(cache.asJCache().get("tagged")).isNull();
    assertThat(cache.asJCache().get("plain")).isEqualTo("v");
  }

  @Test
  void aStackWithALowerLayerKeepsEveryStamp() {
    LayerCache<String, String> cache = instances.newCache("stamped", memoryAndRemote());
    cache.asJCache().put("k", "v");

    assertThat(cache.entryInfo("k").orElseThrow().writtenAt()).isNotNull();
    assertThat(cache.asJCache().get("k")).isEqualTo("v");
  }

  @Test
  void accessExpiryKeepsStampsAndStillApplies() {
    LayerCache<String, String> cache = instances.newCache("accessed", memoryOnly()
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(
            java.util.concurrent.TimeUnit.SECONDS, 60))));
    cache.asJCache().put("k", "v");
    assertThat(cache.entryInfo("k").orElseThrow().writtenAt()).isNotNull();

    assertThat(cache.asJCache().get("k")).isEqualTo("v");
    time.advance(Duration.ofSeconds(61));
    assertThat(cache.asJCache().get("k")).isNull();
  }

  private static javax.cache.management.CacheStatisticsMXBean statistics(LayerCache<String, String> cache) {
    return cache.asJCache().unwrap(io.layercache.jcache.CacheProxy.class).statistics();
  }
}
