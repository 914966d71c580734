package io.layercache.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.layercache.DegradationMode;
import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.ResilienceSettings;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.CacheInstances;
import io.layercache.testing.Chaos;
import io.layercache.testing.ChaosLayerSpec;
import io.layercache.testing.InMemoryBusSpec;
import io.layercache.testing.InMemoryRemote;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful mode: writes an instance makes while the shared layer is unreachable land in its memory
 * only; once the shared layer answers, their outdated shared copies are dropped and every other
 * instance drops its copies too.
 */
class OutageRepairTest {

  private static final Duration WITHIN = Duration.ofSeconds(10);

  private final CacheInstances instances = new CacheInstances();
  private final InMemoryRemote remote = InMemoryRemote.create();
  private final String channel = "outage-" + UUID.randomUUID();

  @AfterEach
  void close() {
    instances.close();
  }

  private LayerCacheConfiguration<String, String> config(LayerSpec shared) {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), shared)
        .setResilience(new ResilienceSettings(DegradationMode.GRACEFUL, 1, Duration.ofMillis(100)))
        .setBus(BusConfig.of(new InMemoryBusSpec(channel),
            BusSettings.defaults("outage").withIntervals(Duration.ofMillis(100), Duration.ofMillis(500))));
  }

  private static Optional<String> layerOf(LayerCache<String, String> cache, String key) {
    return cache.entryInfo(key).map(EntryInfo::layer);
  }

  @Test
  void writesMadeWhileTheSharedLayerWasDownAreNotServedStaleAnywhereOnceItIsBack() {
    Chaos outage = Chaos.create();
    LayerCache<String, String> a = instances.newCache("c", config(ChaosLayerSpec.wrap(remote.spec(), outage)));
    LayerCache<String, String> b = instances.newCache("c", config(remote.spec()));
    a.asJCache().put("k", "before");
    a.asJCache().put("gone", "before");
    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(b.asJCache().get("k")).isEqualTo("before");
      assertThat(b.asJCache().get("gone")).isEqualTo("before");
      assertThat(layerOf(b, "k")).hasValue("memory");
    });

    outage.alwaysFail();
    a.asJCache().put("k", "during"); // only A's memory layer takes it
    a.asJCache().remove("gone");
    assertThat(a.asJCache().get("k")).isEqualTo("during");
    outage.off();

    // A drops the shared copies older than its outage writes and tells B: nobody serves "before".
    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(b.asJCache().get("k")).isNull();
      assertThat(b.asJCache().get("gone")).isNull();
    });
    assertThat(a.asJCache().get("k")).isEqualTo("during");
  }

  @Test
  void anInstanceClosedRightAfterAnOutageStillDropsTheSharedCopiesItsWritesReplaced() {
    Chaos outage = Chaos.create();
    // a breaker that stays closed after one failure, so the closing repair reaches the shared layer
    LayerCache<String, String> a = instances.newCache("c", config(ChaosLayerSpec.wrap(remote.spec(), outage))
        .setResilience(new ResilienceSettings(DegradationMode.GRACEFUL, 100, Duration.ofSeconds(5))));
    a.asJCache().put("k", "before");
    outage.alwaysFail();
    a.asJCache().put("k", "during");
    outage.off();
    a.asJCache().close(); // before the repair's first retry, a second later

    LayerCache<String, String> b = instances.newCache("c", config(remote.spec()));
    assertThat(b.asJCache().get("k")).isNull();
  }

  @Test
  void closingWhileTheSharedLayerIsStillDownNeitherThrowsNorHangs() {
    Chaos outage = Chaos.create();
    LayerCache<String, String> a = instances.newCache("c", config(ChaosLayerSpec.wrap(remote.spec(), outage)));
    outage.alwaysFail();
    a.asJCache().put("k", "during");

    assertThatCode(() -> a.asJCache().close()).doesNotThrowAnyException(); // the repair is logged as left undone
    assertThat(a.asJCache().isClosed()).isTrue();
  }
}
