package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import io.layercache.SingleFlightSettings;
import io.layercache.event.CacheEvent;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.Chaos;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every typed event fires where its javadoc says, and agrees with JCache: every remove form
 * reports {@code Removed}, a stale read reports {@code StaleHit} after its layer's {@code Miss},
 * and a remembered "not found" reports {@code NegativeHit}, never {@code Hit}.
 */
class TypedEventsTest extends TopologyFixture {

  private final List<CacheEvent<String>> seen = new CopyOnWriteArrayList<>();
  private final Set<String> everKind = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private LayerCache<String, String> cache(String name, LayerCacheConfiguration<String, String> config) {
    LayerCache<String, String> cache = instances.newCache(name, config);
    cache.subscribe(event -> {
      seen.add(event);
      everKind.add(event.getClass().getSimpleName());
    });
    return cache;
  }

  private List<String> kinds() {
    return seen.stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  @Test
  void everyEventTypeFires() throws Exception {
    readsWritesAndLoads();
    removalsInEveryForm();
    staleAndNegativeReads();
    timeoutsAndSingleFlight();
    remoteFailures();
    evictions();
    remoteChanges();
    Set<String> all = Arrays.stream(CacheEvent.class.getPermittedSubclasses()).map(Class::getSimpleName)
        .collect(Collectors.toSet());
    assertThat(everKind).containsExactlyInAnyOrderElementsOf(all);
  }

  /** What the invalidation bus does to an instance's in-process layers, on two instances. */
  private void remoteChanges() {
    String channel = "typed-events-" + java.util.UUID.randomUUID();
    io.layercache.testing.InMemoryBus bus = io.layercache.testing.InMemoryBus.channel(channel);
    // default heartbeats (1 s): on a loaded machine, faster ones can look lost, and the repair that
    // follows would refuse priming for a while
    io.layercache.bus.BusSettings signed = io.layercache.bus.BusSettings.defaults("events")
        .withSigning(io.layercache.bus.BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", true));
    LayerCacheConfiguration<String, String> config = memoryAndRemote()
        .setBus(io.layercache.bus.BusConfig.of(new io.layercache.testing.InMemoryBusSpec(channel), signed));
    LayerCache<String, String> a = instances.newCache("remote", config);
    LayerCache<String, String> b = cache("remote", config);
    a.asJCache().put("k", "v1");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.asJCache().get("k") != null && b.entryInfo("k")
        .map(info -> info.layer().equals("memory")).orElse(false));
    seen.clear();

    a.asJCache().put("k", "v2");
    await().atMost(Duration.ofSeconds(5)).until(() -> kinds().contains("RemoteInvalidated"));
    a.get("loaded", key -> "from-a");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(kinds()).contains("RemotePrimed"));
    a.asJCache().clear();
    await().atMost(Duration.ofSeconds(5)).until(() -> kinds().contains("RemoteCleared"));
    bus.interrupt();
    assertThat(kinds()).contains("InProcessRepaired");
    assertThat(seen).contains(new CacheEvent.RemoteInvalidated<>("remote", "k"),
        new CacheEvent.RemotePrimed<>("remote", "loaded"));
  }

  private void readsWritesAndLoads() {
    LayerCache<String, String> a = cache("basics", memoryAndRemote());
    seen.clear();
    a.get("k", key -> "v");
    assertThat(kinds()).containsExactly("Miss", "Miss", "LoadStarted", "LoadSucceeded", "Written");
    seen.clear();
    a.asJCache().get("k");
    assertThat(kinds()).containsExactly("Hit");
    LayerCache<String, String> b = cache("basics", memoryAndRemote());
    seen.clear();
    b.asJCache().get("k");
    assertThat(kinds()).containsExactly("Miss", "Hit", "Backfill");
    assertThatThrownBy(() -> a.get("fails", key -> {
      throw new IOException("origin down");
    })).hasRootCauseMessage("origin down");
    assertThat(kinds()).contains("LoadFailed");
    a.set("tagged", "v", EntryOptions.defaults().withTags("t"));
    a.invalidateByTag("t");
    a.deleteByPattern("tag*");
    a.asJCache().clear();
    assertThat(kinds()).contains("TagInvalidated", "PatternDeleted", "Cleared");
  }

  private void removalsInEveryForm() {
    LayerCache<String, String> cache = cache("removals", memoryOnly());
    for (String key : List.of("a", "b", "c", "d", "e", "f")) {
      cache.asJCache().put(key, "1");
    }
    seen.clear();
    cache.asJCache().remove("a");
    cache.asJCache().remove("b", "1");
    cache.asJCache().getAndRemove("c");
    cache.asJCache().invoke("d", (entry, args) -> {
      entry.remove();
      return null;
    });
    cache.asJCache().removeAll(Set.of("e"));
    cache.invalidate("f");
    assertThat(seen).filteredOn(e -> e instanceof CacheEvent.Removed<String>)
        .extracting(e -> ((CacheEvent.Removed<String>) e).key()).containsExactly("a", "b", "c", "d", "e", "f");
  }

  private void staleAndNegativeReads() {
    LayerCache<String, String> cache = cache("stale", memoryOnly().setFailSafe(failSafe())
        .setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofMinutes(1))));
    cache.set("k", "old", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    seen.clear();
    assertThat(cache.get("k", key -> {
      throw new IOException("origin down");
    })).isEqualTo("old");
    assertThat(kinds()).containsSubsequence("Miss", "LoadFailed", "FailSafeActivated", "StaleHit");
    cache.get("missing", key -> null);
    assertThat(kinds()).contains("NegativeStored");
    seen.clear();
    assertThat(cache.get("missing", key -> "never")).isNull();
    assertThat(kinds()).containsExactly("NegativeHit");

    LayerCache<String, String> plain = cache("expiring", memoryOnly());
    plain.set("gone", "v", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    seen.clear();
    assertThat(plain.asJCache().get("gone")).isNull();
    assertThat(kinds()).containsExactly("Miss", "Expired");
  }

  private void timeoutsAndSingleFlight() throws Exception {
    LayerCache<String, String> cache = cache("timeouts", memoryOnly()
        .setFailSafe(FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(50))));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loading = new CountDownLatch(1);
    Future<?> first = pool.submit(() -> cache.get("slow", key -> {
      loading.countDown();
      awaitLatch(release);
      return "v";
    }));
    awaitLatch(loading);
    assertThatThrownBy(() -> cache.get("slow", key -> "second")).hasMessageContaining("hard-timeout");
    release.countDown();
    assertThatThrownBy(first::get).hasMessageContaining("hard-timeout");
    assertThat(kinds()).contains("InFlightJoined", "LoaderTimedOut");
  }

  private void remoteFailures() {
    LayerCache<String, String> cache = cache("faults", memoryAndChaoticRemote()
        .setResilience(graceful(1, Duration.ofMinutes(1)))
        .setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(5), Duration.ofSeconds(5))));
    chaos.alwaysFail().targeting(Chaos.Operation.LEASE);
    assertThat(cache.get("k", key -> "local")).isEqualTo("local");
    assertThat(kinds()).contains("InFlightBypassed");
    chaos.alwaysFail().targetingAll();
    assertThat(cache.asJCache().get("other")).isNull();
    assertThat(kinds()).contains("LayerError", "LayerSkipped", "BreakerTransition");
  }

  private void evictions() {
    LayerCache<String, String> cache = cache("small", config(MemoryLayerSpec.ofMaximumSize(1)));
    for (int i = 0; i < 10; i++) {
      cache.asJCache().put("k" + i, "v");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> kinds().contains("Evicted"));
  }
}
