package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.event.CacheEvent;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.InMemoryRemoteLayer;
import io.layercache.testing.RemoteOperation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Topology 2: memory over a shared remote layer that never fails, one instance. */
class MemoryAndRemoteTopologyTest extends TopologyFixture {

  @Test
  void aPutReachesTheRemoteLayerAndMemory() {
    LayerCache<String, String> cache = instances.newCache("put-both", memoryAndRemote());
    InMemoryRemoteLayer<String, String> remoteLayer = remoteLayerOf("put-both", 0);

    cache.asJCache().put("k", "v");

    assertThat(remoteLayer.peek("k").value()).isEqualTo("v");
    assertThat(remoteLayer.calls(RemoteOperation.PUT) + remoteLayer.calls(RemoteOperation.COMPUTE))
        .as("one write to the remote layer").isEqualTo(1);
    assertThat(cache.layerStatistics()).extracting(LayerStatistics::writes).containsExactly(1L, 1L);
    long remoteReads = remoteLayer.calls(RemoteOperation.GET);
    assertThat(cache.asJCache().get("k")).isEqualTo("v");
    assertThat(remoteLayer.calls(RemoteOperation.GET)).as("served by memory").isEqualTo(remoteReads);
    assertThat(cache.entryInfo("k")).map(EntryInfo::layer).hasValue("memory");
  }

  @Test
  void aValueOnlyTheRemoteLayerHoldsIsBackfilledIntoMemoryWithItsLifetimeCappedByTheMemoryTtl() {
    LayerCache<String, String> cache = instances.newCache("backfill",
        config(MemoryLayerSpec.defaults().withTtl(Duration.ofMinutes(1)), remote.spec()));
    InMemoryRemoteLayer<String, String> remoteLayer = remoteLayerOf("backfill", 0);
    List<CacheEvent.Backfill<String>> backfills = record(cache, type(CacheEvent.Backfill.class));
    cache.set("k", "v", EntryOptions.defaults().withTtl(Duration.ofMinutes(10)));
    time.advance(Duration.ofMinutes(2)); // the memory copy (capped at 1 minute) is gone, the remote one is live

    assertThat(cache.asJCache().get("k")).isEqualTo("v");

    assertThat(backfills).singleElement().satisfies(backfill -> {
      assertThat(backfill.fromLayer()).isEqualTo("in-memory-remote");
      assertThat(backfill.toLayer()).isEqualTo("memory");
    });
    assertThat(cache.layerStatistics().get(1).hits()).isEqualTo(1);
    assertThat(cache.entryInfo("k")).get().satisfies(info -> {
      assertThat(info.layer()).isEqualTo("memory");
      assertThat(info.expiresAt()).isEqualTo(Instant.ofEpochMilli(time.currentTimeMillis()).plus(Duration.ofMinutes(1)));
    });
    long remoteReads = remoteLayer.calls(RemoteOperation.GET);
    assertThat(cache.asJCache().get("k")).isEqualTo("v");
    assertThat(remoteLayer.calls(RemoteOperation.GET)).isEqualTo(remoteReads);
    assertThat(cache.layerStatistics().get(0).hits()).isEqualTo(1);
  }

  @Test
  void aRemoveRemovesTheKeyFromBothLayers() {
    LayerCache<String, String> cache = instances.newCache("remove-both", memoryAndRemote());
    cache.asJCache().put("k", "v");

    assertThat(cache.asJCache().remove("k")).isTrue();

    assertThat(remoteLayerOf("remove-both", 0).peek("k")).isNull();
    assertThat(cache.get("k", key -> "reloaded")).as("memory lost its copy too").isEqualTo("reloaded");
  }

  @Test
  void concurrentMissesRunTheLoaderOnceAndStoreItsValueInBothLayers() throws Exception {
    LayerCache<String, String> cache = instances.newCache("remote-single-flight", memoryAndRemote());
    InMemoryRemoteLayer<String, String> remoteLayer = remoteLayerOf("remote-single-flight", 0);
    AtomicInteger joined = joinCounter(cache);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();

    for (int i = 0; i < 16; i++) {
      results.add(pool.submit(() -> cache.get("k", key -> {
        loads.incrementAndGet();
        awaitLatch(release);
        return "loaded once";
      })));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> joined.get() == 15);
    release.countDown();

    for (Future<String> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
    }
    assertThat(loads).hasValue(1);
    assertThat(remoteLayer.peek("k").value()).isEqualTo("loaded once");
    assertThat(remoteLayer.calls(RemoteOperation.COMPUTE)).as("one store").isEqualTo(1);
    assertThat(cache.entryInfo("k")).map(EntryInfo::layer).hasValue("memory");
  }

  @Test
  void failSafeServesTheRemoteLayersExpiredValueWhenTheLoaderFailsAndCachesItAgainMarked() {
    LayerCache<String, String> cache = instances.newCache("remote-fail-safe", memoryAndRemote().setFailSafe(failSafe()));
    InMemoryRemoteLayer<String, String> remoteLayer = remoteLayerOf("remote-fail-safe", 0);
    cache.set("k", "last good", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("k", key -> {
      loads.incrementAndGet();
      throw new IOException("origin down");
    })).isEqualTo("last good");

    assertThat(loads).hasValue(1);
    assertThat(remoteLayer.peek("k").kind()).as("cached again for the throttle, for every instance")
        .isEqualTo(StoredEntry.Kind.FAIL_SAFE);
    assertThat(cache.entryInfo("k")).map(EntryInfo::freshness).hasValue(EntryInfo.Freshness.FAIL_SAFE);
    assertThat(cache.get("k", key -> {
      loads.incrementAndGet();
      throw new IOException("origin still down");
    })).isEqualTo("last good");
    assertThat(loads).as("the origin is left alone during the throttle").hasValue(1);
  }

  @Test
  void aNullFromTheLoaderStoresNothingInEitherLayer() {
    LayerCache<String, String> cache = instances.newCache("remote-null", memoryAndRemote());

    assertThat(cache.get("absent", key -> null)).isNull();

    assertThat(remote.store("remote-null").size()).isZero();
    assertThat(cache.get("absent", key -> "now there")).isEqualTo("now there");
  }
}
