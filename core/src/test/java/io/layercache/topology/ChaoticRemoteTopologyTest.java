package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.LayerCacheConfiguration;
import io.layercache.SingleFlightSettings;
import io.layercache.event.CacheEvent;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.testing.Chaos;
import io.layercache.testing.InMemoryRemoteLayer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Topology 3: memory over a shared remote layer behind a chaos switch, one instance. Strict mode
 * fails fast, graceful mode serves and loads, the breaker opens and closes, fail-safe and the
 * remote soft timeout keep stale values coming.
 */
class ChaoticRemoteTopologyTest extends TopologyFixture {

  private static final Duration LONG_BREAK = Duration.ofMinutes(1);

  private LayerCache<String, String> cache(String name, LayerCacheConfiguration<String, String> config) {
    return instances.newCache(name, config);
  }

  private static String failingLoad(AtomicInteger loads) throws IOException {
    loads.incrementAndGet();
    throw new IOException("origin down");
  }

  // ------------------------------------------------------------------ strict mode

  @Test
  void strictModeFailsWithLayerUnavailableExceptionNamingCacheAndLayerWhenTheRemoteThrows() {
    LayerCache<String, String> cache = cache("strict", memoryAndChaoticRemote().setResilience(strict(5, LONG_BREAK)));
    cache.asJCache().put("warm", "v");
    chaos.alwaysFail();
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.asJCache().get("warm")).as("memory hits never reach the remote").isEqualTo("v");
    assertThat(chaos.faults()).isZero();
    assertThatThrownBy(() -> cache.get("cold", key -> "loaded " + loads.incrementAndGet()))
        .isInstanceOf(LayerUnavailableException.class)
        .hasMessageContaining("'strict'").hasMessageContaining("in-memory-remote");
    assertThat(loads).as("no load once the remote failed the read").hasValue(0);
  }

  @Test
  void strictModeStoresNothingAnywhereWhenTheRemoteRefusesAWrite() {
    LayerCache<String, String> cache = cache("strict-write", memoryAndChaoticRemote().setResilience(strict(5, LONG_BREAK)));
    chaos.alwaysFail();

    assertThatThrownBy(() -> cache.asJCache().put("k", "v")).isInstanceOf(LayerUnavailableException.class);

    chaos.off();
    assertThat(remoteLayerOf("strict-write", 0).peek("k")).isNull();
    assertThat(cache.asJCache().get("k")).as("memory was not written either").isNull();
  }

  @Test
  void strictModeRejectsCallsWithoutReachingTheRemoteOnceTheBreakerOpened() {
    LayerCache<String, String> cache = cache("strict-breaker", memoryAndChaoticRemote().setResilience(strict(2, LONG_BREAK)));
    List<CacheEvent.BreakerTransition<String>> transitions = record(cache, type(CacheEvent.BreakerTransition.class));
    chaos.alwaysFail();
    for (int i = 0; i < 2; i++) {
      String key = "cold-" + i;
      assertThatThrownBy(() -> cache.asJCache().get(key)).isInstanceOf(LayerUnavailableException.class)
          .hasMessageContaining("chaos");
    }
    assertThat(transitions).extracting(CacheEvent.BreakerTransition::to).containsExactly("OPEN");

    assertThatThrownBy(() -> cache.asJCache().get("cold-open")).isInstanceOf(LayerUnavailableException.class)
        .hasMessageContaining("circuit breaker open");

    assertThat(chaos.calls()).as("the open breaker kept the third call from the layer").isEqualTo(2);
    LayerStatistics remote = cache.layerStatistics().get(1);
    assertThat(remote.breakerOpen()).isTrue();
    assertThat(remote.rejected()).isEqualTo(1);
    assertThat(remote.failures()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ graceful mode

  @Test
  void gracefulModeLoadsAColdKeyWithoutThrowingAfterOneFailedRemoteCall() {
    LayerCache<String, String> cache = cache("graceful-load",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)));
    chaos.alwaysFail();
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("cold", key -> "loaded " + loads.incrementAndGet())).isEqualTo("loaded 1");

    assertThat(chaos.calls()).as("the read failed once; the load and its store skipped the remote").isEqualTo(1);
    assertThat(cache.layerStatistics().get(1).skipped()).isEqualTo(1);
    assertThat(cache.asJCache().get("cold")).as("kept in memory").isEqualTo("loaded 1");
    assertThat(chaos.calls()).isEqualTo(1);
    assertThat(loads).hasValue(1);
  }

  @Test
  void gracefulModeWritesMemoryAfterOneFailedRemoteCallWhenTheRemoteThrows() {
    LayerCache<String, String> cache = cache("graceful-write",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)));
    chaos.alwaysFail();

    cache.asJCache().put("k", "local only");

    assertThat(chaos.calls()).isEqualTo(1);
    assertThat(cache.asJCache().get("k")).isEqualTo("local only");
    chaos.off();
    assertThat(remoteLayerOf("graceful-write", 0).peek("k")).as("the remote missed the write").isNull();
  }

  @Test
  void aFrozenRemoteCostsAGracefulColdMissOneCallTimeoutAndNoSecondWait() {
    LayerCache<String, String> cache = cache("graceful-frozen",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)));
    chaos.hang(Duration.ofMillis(200));

    assertThat(cache.get("cold", key -> "loaded")).isEqualTo("loaded");

    assertThat(chaos.faults()).as("one call waited out its timeout").isEqualTo(1);
    assertThat(chaos.calls()).isEqualTo(1);
    assertThat(chaos.hung()).isZero();
  }

  @Test
  void entryInfoOfAKeyMemoryLacksCallsAFailingRemoteOnceInGracefulMode() {
    LayerCache<String, String> cache = cache("graceful-entry-info",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)));
    chaos.alwaysFail();

    assertThat(cache.entryInfo("cold")).isEmpty();

    assertThat(chaos.calls()).isEqualTo(1);
  }

  @Test
  void iteratingAGracefulCacheWhileTheRemoteFailsShowsTheMemoryEntries() {
    LayerCache<String, String> cache = cache("graceful-iterate",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)));
    cache.asJCache().put("a", "1");
    cache.asJCache().put("b", "2");
    chaos.alwaysFail();

    List<String> keys = new java.util.ArrayList<>();
    cache.asJCache().forEach(entry -> keys.add(entry.getKey() + "=" + entry.getValue()));

    assertThat(keys).containsExactlyInAnyOrder("a=1", "b=2");
  }

  @Test
  void gracefulModeNeverThrowsWhileTheRemoteFailsAtRandom() {
    LayerCache<String, String> cache = cache("graceful-random",
        memoryAndChaoticRemote().setResilience(graceful(5, Duration.ofMillis(50))));
    chaos.failWithProbability(0.3, 7);

    for (int i = 0; i < 100; i++) {
      cache.asJCache().put("k" + i, "v" + i);
      assertThat(cache.get("k" + i, key -> "not the written value")).isEqualTo("v" + i);
      assertThat(cache.get("cold" + i, key -> "loaded " + key)).isEqualTo("loaded cold" + i);
      cache.asJCache().replace("cold" + i, "replaced");
      cache.asJCache().remove("k" + i);
    }

    assertThat(chaos.faults()).as("faults were injected").isPositive();
  }

  @Test
  void aRemoveAfterTheRemoteRecoveredDropsTheCopyMemoryAloneGotWhileTheRemoteWasDown() {
    LayerCache<String, String> cache = cache("graceful-diverged",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)));
    chaos.alwaysFail();
    cache.asJCache().put("k", "written while the remote was down");
    chaos.off();

    cache.asJCache().remove("k");

    assertThat(cache.asJCache().get("k")).as("a removed key reads as absent").isNull();
  }

  // ------------------------------------------------------------------ circuit breaker

  @Test
  void theBreakerOpensAtTheThresholdAndClosesOnceTheRemoteAnswersAfterTheBreak() {
    LayerCache<String, String> cache = cache("breaker-recovery",
        memoryAndChaoticRemote().setResilience(graceful(2, Duration.ofMillis(100))));
    List<CacheEvent.BreakerTransition<String>> transitions = record(cache, type(CacheEvent.BreakerTransition.class));
    chaos.alwaysFail();
    cache.get("cold-1", key -> "loaded");
    assertThat(transitions).isEmpty();
    cache.get("cold-2", key -> "loaded");
    assertThat(transitions).extracting(CacheEvent.BreakerTransition::to).containsExactly("OPEN");

    chaos.off();
    AtomicInteger probe = new AtomicInteger();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      // a new key each time: a key loaded while the breaker was open is in memory and never reaches the remote
      cache.get("probe-" + probe.incrementAndGet(), key -> "loaded");
      assertThat(transitions).extracting(CacheEvent.BreakerTransition::to).endsWith("CLOSED");
    });

    assertThat(transitions).extracting(t -> t.from() + "->" + t.to())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    assertThat(cache.layerStatistics().get(1).breakerOpen()).isFalse();
    cache.asJCache().put("after-recovery", "shared");
    assertThat(remoteLayerOf("breaker-recovery", 0).peek("after-recovery").value()).isEqualTo("shared");
  }

  // ------------------------------------------------------------------ fail-safe

  @Test
  void failSafeServesTheStaleMemoryCopyWhenTheRemoteThrowsAndTheLoaderFails() {
    LayerCache<String, String> cache = cache("fail-safe-both-down",
        memoryAndChaoticRemote().setResilience(graceful(5, LONG_BREAK)).setFailSafe(failSafe()));
    cache.set("k", "last good", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    chaos.alwaysFail();
    long before = chaos.calls();
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("k", key -> failingLoad(loads))).isEqualTo("last good");

    assertThat(loads).hasValue(1);
    assertThat(chaos.calls() - before).as("one failed remote call for the whole operation").isEqualTo(1);
  }

  @Test
  void failSafeWithARemoteSoftTimeoutServesTheStaleMemoryCopyWhenTheRemoteThrowsAndTheLoaderFails() {
    LayerCache<String, String> cache = cache("fail-safe-soft-both-down", memoryAndChaoticRemote()
        .setResilience(graceful(5, LONG_BREAK).withRemoteSoftTimeout(Duration.ofSeconds(5))).setFailSafe(failSafe()));
    cache.set("k", "last good", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    chaos.alwaysFail();
    long before = chaos.calls();
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("k", key -> failingLoad(loads))).isEqualTo("last good");

    assertThat(loads).hasValue(1);
    assertThat(chaos.calls() - before).as("one failed remote call for the whole operation").isEqualTo(1);
    assertThat(cache.entryInfo("k")).map(EntryInfo::freshness).hasValue(EntryInfo.Freshness.FAIL_SAFE);
  }

  @Test
  void aHangingRemoteGivesTheStaleValueAtTheRemoteSoftTimeoutWhenTheLoaderFailsToo() {
    LayerCache<String, String> cache = cache("soft-timeout-hang", memoryAndChaoticRemote()
        .setResilience(graceful(5, LONG_BREAK).withRemoteSoftTimeout(Duration.ofMillis(100))).setFailSafe(failSafe()));
    cache.set("k", "last good", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    chaos.hang(); // until released: only the soft timeout can end the wait
    AtomicInteger loads = new AtomicInteger();

    long start = System.nanoTime();
    assertThat(cache.get("k", key -> failingLoad(loads))).isEqualTo("last good");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("bounded by the 100 ms soft timeout, not by the hang").isLessThan(Duration.ofSeconds(3));
    assertThat(loads).hasValue(1);
    assertThat(cache.layerStatistics().get(1).softTimeouts()).isEqualTo(1);
    assertThat(chaos.hung()).as("the late read still waits, off the caller's thread").isEqualTo(1);
    chaos.release();
    await().atMost(Duration.ofSeconds(5)).until(() -> chaos.hung() == 0);
  }

  @Test
  void aHangingRemoteWithASoftTimeoutLetsAWorkingLoaderAnswerAndKeepsItsValueInMemory() {
    LayerCache<String, String> cache = cache("soft-timeout-fresh", memoryAndChaoticRemote()
        .setResilience(graceful(5, LONG_BREAK).withRemoteSoftTimeout(Duration.ofMillis(100))).setFailSafe(failSafe()));
    cache.set("k", "last good", EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));
    chaos.hang();

    assertThat(cache.get("k", key -> "fresh")).isEqualTo("fresh");

    long calls = chaos.calls();
    assertThat(cache.asJCache().get("k")).isEqualTo("fresh");
    assertThat(chaos.calls()).as("a memory hit").isEqualTo(calls);
  }

  // ------------------------------------------------------------------ single-flight and leases

  @Test
  void gracefulModeLoadsLocallyWhenTheRemoteLeasesFail() {
    LayerCache<String, String> cache = cache("leases-down", memoryAndChaoticRemote()
        .setResilience(graceful(5, LONG_BREAK))
        .setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(5), Duration.ofSeconds(5))));
    chaos.targeting(Chaos.Operation.LEASE).alwaysFail();

    assertThat(cache.get("k", key -> "loaded locally")).isEqualTo("loaded locally");

    assertThat(cache.loadStatistics().coordinationDegraded()).isEqualTo(1);
    InMemoryRemoteLayer<String, String> remoteLayer = remoteLayerOf("leases-down", 0);
    assertThat(remoteLayer.peek("k").value()).as("entries still reach the remote").isEqualTo("loaded locally");
  }

  @Test
  void strictModeFailsALoadWhoseLeaseCannotBeTaken() {
    LayerCache<String, String> cache = cache("leases-down-strict", memoryAndChaoticRemote()
        .setResilience(strict(5, LONG_BREAK))
        .setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(5), Duration.ofSeconds(5))));
    chaos.targeting(Chaos.Operation.LEASE).alwaysFail();
    AtomicInteger loads = new AtomicInteger();

    assertThatThrownBy(() -> cache.get("k", key -> "loaded " + loads.incrementAndGet()))
        .isInstanceOf(LayerUnavailableException.class);
    assertThat(loads).hasValue(0);
  }
}
