package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.event.CacheEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Topology 1: one memory layer, nothing that can fail. */
class MemoryOnlyTopologyTest extends TopologyFixture {

  @Test
  void servesALoadedValueFromMemoryWithoutCallingTheLoaderAgain() {
    LayerCache<String, String> cache = instances.newCache("memory-only", memoryOnly());
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("k", key -> "v" + loads.incrementAndGet())).isEqualTo("v1");
    assertThat(cache.get("k", key -> "v" + loads.incrementAndGet())).isEqualTo("v1");

    assertThat(loads).hasValue(1);
    assertThat(cache.layerStatistics()).singleElement().satisfies(memory -> {
      assertThat(memory.layer()).isEqualTo("memory");
      assertThat(memory.misses()).isEqualTo(1);
      assertThat(memory.writes()).isEqualTo(1);
      assertThat(memory.hits()).isEqualTo(1);
    });
  }

  @Test
  void concurrentMissesOfOneKeyShareOneLoaderCall() throws Exception {
    LayerCache<String, String> cache = instances.newCache("memory-single-flight", memoryOnly());
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
  }

  @Test
  void servesTheLastGoodValueWhenTheLoaderFailsAndFailSafeIsOn() {
    LayerCache<String, String> cache = instances.newCache("memory-fail-safe", memoryOnly().setFailSafe(failSafe()));
    List<CacheEvent.FailSafeActivated<String>> activations = record(cache, TopologyFixture.<CacheEvent.FailSafeActivated<String>>type(CacheEvent.FailSafeActivated.class));
    cache.set("k", "last good", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("k", key -> {
      loads.incrementAndGet();
      throw new IOException("origin down");
    })).isEqualTo("last good");

    assertThat(loads).hasValue(1);
    assertThat(activations).hasSize(1);
    assertThat(cache.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory");
  }
}
