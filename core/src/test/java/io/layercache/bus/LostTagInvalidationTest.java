package io.layercache.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.TagSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.CacheInstances;
import io.layercache.testing.InMemoryBus;
import io.layercache.testing.InMemoryBusSpec;
import io.layercache.testing.InMemoryRemote;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lost {@code TAG} message is repaired like any other lost message: the instance that missed it
 * must stop serving the tag's older entries once it found the hole, not only when its copy of the
 * tag's stamp is next read from the shared layer ({@code tags.refresh-interval}, a minute here).
 * Emptying the memory layers alone is not enough: the entry is then read from the shared layer and
 * judged by the instance's stale copy of the stamp.
 */
class LostTagInvalidationTest {

  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final CacheInstances instances = new CacheInstances();
  private final InMemoryRemote remote = InMemoryRemote.create();
  private final String channel = "bus-" + UUID.randomUUID();
  private final InMemoryBus bus = InMemoryBus.channel(channel);

  @AfterEach
  void close() {
    instances.close();
  }

  private LayerCacheConfiguration<String, String> config() {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), remote.spec())
        .setTags(new TagSettings(Duration.ofMinutes(1)))
        .setBus(BusConfig.of(new InMemoryBusSpec(channel),
            BusSettings.defaults("unit").withIntervals(Duration.ofMillis(100), Duration.ofMillis(500))));
  }

  @Test
  void aLostTagInvalidationIsRepairedOnceTheHoleIsFound() {
    LayerCache<String, String> a = instances.newCache("c", config());
    LayerCache<String, String> b = instances.newCache("c", config());
    a.set("order-1", "o1", EntryOptions.defaults().withTags("customer-7"));
    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(b.asJCache().get("order-1")).isEqualTo("o1");
      assertThat(b.entryInfo("order-1").orElseThrow().layer()).isEqualTo("memory");
    });

    bus.dropWhile(message -> true);
    a.invalidateByTag("customer-7"); // B never hears of it
    await().atMost(WITHIN).until(() -> a.busStatistics().orElseThrow().queued() == 0);
    assertThat(b.asJCache().get("order-1")).as("from memory: B heard nothing yet, not even a heartbeat").isEqualTo("o1");
    bus.dropWhile(message -> false);

    // The next message from A (at the latest its heartbeat) shows the hole, and B repairs.
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.busStatistics().orElseThrow().repairs()).isPositive());
    assertThat(a.asJCache().get("order-1")).as("on the instance that invalidated").isNull();
    assertThat(b.asJCache().get("order-1")).as("on the instance that missed the message, once repaired").isNull();
  }
}
