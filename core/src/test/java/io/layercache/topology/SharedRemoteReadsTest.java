package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.testing.Chaos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Callers of one key that memory lacks share one read of the remote layer: the first reads, the
 * others wait for its answer (an entry, nothing, or its failure) instead of each sending their own.
 */
class SharedRemoteReadsTest extends TopologyFixture {

  private static final int CALLERS = 20;

  @Test
  void twentyCallersOfAKeyOnlyTheRemoteHoldsReadItOnce() {
    instances.newCache("shared", memoryAndChaoticRemote()).set("k", "v", io.layercache.EntryOptions.defaults());
    LayerCache<String, String> cache = instances.newCache("shared", memoryAndChaoticRemote());
    AtomicInteger loads = new AtomicInteger();
    long readsBefore = chaos.calls(Chaos.Operation.GET);
    Map<Integer, String> results = stampedeWithTheFirstReadHeld(cache, loads);

    assertThat(results).hasSize(CALLERS).allSatisfy((i, v) -> assertThat(v).isEqualTo("v"));
    assertThat(chaos.calls(Chaos.Operation.GET) - readsBefore).as("remote reads").isEqualTo(1);
    assertThat(loads).hasValue(0);
    assertThat(cache.layerStatistics().get(1).hits()).as("every caller was answered by the remote layer")
        .isEqualTo(CALLERS);
    assertThat(cache.layerStatistics().get(0).writes()).as("one backfill, by the first caller").isEqualTo(1);
  }

  @Test
  void aSharedMissIsFollowedByOneLoad() {
    LayerCache<String, String> cache = instances.newCache("shared-miss", memoryAndChaoticRemote());
    AtomicInteger loads = new AtomicInteger();
    Map<Integer, String> results = stampedeWithTheFirstReadHeld(cache, loads);

    assertThat(results).hasSize(CALLERS).allSatisfy((i, v) -> assertThat(v).isEqualTo("loaded 1"));
    assertThat(loads).hasValue(1);
  }

  @Test
  void aSharedReadsFailureReachesEveryCallerWhoEachDegradeGracefully() {
    LayerCache<String, String> cache = instances.newCache("shared-failure",
        memoryAndChaoticRemote().setResilience(graceful(100, Duration.ofMinutes(1))));
    AtomicInteger loads = new AtomicInteger();
    chaos.targeting(Chaos.Operation.GET).hang(Duration.ofSeconds(2)); // then the hung read fails

    Map<Integer, String> results = new ConcurrentHashMap<>();
    List<Thread> callers = startCallers(i -> results.put(i, cache.get("k", key -> "loaded " + loads.incrementAndGet())));
    awaitAllWaitingWithOneReadHung(callers);
    joinAll(callers);

    assertThat(results).hasSize(CALLERS).allSatisfy((i, v) -> assertThat(v).isEqualTo("loaded 1"));
    assertThat(loads).hasValue(1);
    assertThat(chaos.calls(Chaos.Operation.GET)).as("one read reached the remote").isEqualTo(1);
  }

  /**
   * {@value #CALLERS} callers of "k" through a counting loader, the remote read held until every
   * caller waits (one in the read, the others for its answer), then let go.
   */
  private Map<Integer, String> stampedeWithTheFirstReadHeld(LayerCache<String, String> cache, AtomicInteger loads) {
    chaos.targeting(Chaos.Operation.GET).hang();
    Map<Integer, String> results = new ConcurrentHashMap<>();
    List<Thread> callers = startCallers(i -> results.put(i, cache.get("k", key -> "loaded " + loads.incrementAndGet())));
    awaitAllWaitingWithOneReadHung(callers);
    chaos.release();
    joinAll(callers);
    return results;
  }

  private static List<Thread> startCallers(java.util.function.IntConsumer call) {
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      int index = i;
      Thread caller = new Thread(() -> call.accept(index), "caller-" + i);
      callers.add(caller);
      caller.start();
    }
    return callers;
  }

  /** One caller blocked in the remote read, every other one waiting for it (none has a read of its own). */
  private void awaitAllWaitingWithOneReadHung(List<Thread> callers) {
    await().atMost(Duration.ofSeconds(10)).until(() -> chaos.hung() == 1 && callers.stream()
        .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
  }

  private static void joinAll(List<Thread> callers) {
    for (Thread caller : callers) {
      try {
        caller.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      assertThat(caller.isAlive()).as(caller.getName() + " finished").isFalse();
    }
  }
}
