package io.layercache.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.ManualTime;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.SharedResources;
import io.layercache.layer.StoredEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chaos switch does what tests flip it to, thread-safely, and never leaves a call hung. */
class ChaosLayerTest {

  private final InMemoryRemote remote = InMemoryRemote.create();
  private final SharedResources shared = new SharedResources();
  private final Chaos chaos = Chaos.create();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final ChaosLayer<String, String> layer = chaotic(chaos);

  @AfterEach
  void cleanUp() {
    chaos.off();
    pool.shutdownNow();
    shared.close();
    remote.forget();
  }

  private ChaosLayer<String, String> chaotic(Chaos switched) {
    LayerContext<String, String> context = new LayerContext<>("chaotic", getClass().getClassLoader(), new ManualTime(),
        (l, key, entry, expired) -> { }, true, shared, String.class, 0);
    return (ChaosLayer<String, String>) new ChaosLayerFactory().<String, String>create(
        remote.spec().withChaos(switched), context);
  }

  private static StoredEntry<String> entry(String value) {
    return StoredEntry.of(value, StoredEntry.ETERNAL, 1L, Set.of());
  }

  @Test
  void callsPassThroughToTheWrappedLayerWhileOff() {
    layer.put("k", entry("v"));

    assertThat(layer.get("k").value()).isEqualTo("v");
    assertThat(layer.name()).isEqualTo(InMemoryRemoteLayerSpec.TYPE);
    assertThat(layer.traits()).isEqualTo(layer.delegate().traits());
    assertThat(chaos.calls()).isEqualTo(2);
    assertThat(chaos.faults()).isZero();
  }

  @Test
  void alwaysFailThrowsALayerFailureNamingCacheLayerAndOperationWithoutReachingTheLayer() {
    chaos.alwaysFail();

    assertThatThrownBy(() -> layer.put("k", entry("v"))).isInstanceOf(LayerFailureException.class)
        .hasMessageContaining("'chaotic'").hasMessageContaining("in-memory-remote").hasMessageContaining("PUT");
    assertThatThrownBy(() -> layer.loadLeases().tryAcquire("k", Duration.ofSeconds(1)))
        .isInstanceOf(LayerFailureException.class);
    chaos.off();
    assertThat(layer.get("k")).isNull();
    assertThat(((InMemoryRemoteLayer<String, String>) layer.delegate()).calls(RemoteOperation.PUT)).isZero();
    assertThat(chaos.faults()).isEqualTo(2);
  }

  @Test
  void randomFailuresFollowTheSeedSoARunCanBeReplayed() {
    List<Boolean> first = failures(Chaos.create().failWithProbability(0.3, 42));
    List<Boolean> replay = failures(Chaos.create().failWithProbability(0.3, 42));

    assertThat(replay).isEqualTo(first);
    assertThat(first).contains(true, false);
  }

  private List<Boolean> failures(Chaos switched) {
    ChaosLayer<String, String> target = chaotic(switched);
    List<Boolean> outcomes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      try {
        target.get("k");
        outcomes.add(false);
      } catch (LayerFailureException e) {
        outcomes.add(true);
      }
    }
    return outcomes;
  }

  @Test
  void aHungCallGoesOnOnceReleased() throws Exception {
    layer.put("k", entry("v"));
    chaos.hang();
    CompletableFuture<StoredEntry<String>> read = CompletableFuture.supplyAsync(() -> layer.get("k"), pool);

    await().atMost(Duration.ofSeconds(5)).until(() -> chaos.hung() == 1);
    assertThat(read).isNotDone();
    chaos.release();

    assertThat(read.get(5, TimeUnit.SECONDS).value()).isEqualTo("v");
    assertThat(chaos.hung()).isZero();
    assertThat(layer.get("k").value()).as("released: later calls pass too").isEqualTo("v");
  }

  @Test
  void switchingTheFaultReleasesTheCallsTheHangHeld() throws Exception {
    chaos.hang();
    CompletableFuture<StoredEntry<String>> read = CompletableFuture.supplyAsync(() -> layer.get("k"), pool);
    await().atMost(Duration.ofSeconds(5)).until(() -> chaos.hung() == 1);

    chaos.alwaysFail();

    assertThat(read.get(5, TimeUnit.SECONDS)).as("the held call goes on, the new fault hits new calls only").isNull();
    assertThatThrownBy(() -> layer.get("k")).isInstanceOf(LayerFailureException.class);
  }

  @Test
  void aHungCallWithACallTimeoutFailsAsAClientTimeoutWould() {
    chaos.hang(Duration.ofMillis(50));

    assertThatThrownBy(() -> layer.get("k")).isInstanceOf(LayerFailureException.class)
        .hasMessageContaining("did not answer GET within 50 ms");
    assertThat(chaos.hung()).isZero();
  }

  @Test
  void aDelayHoldsEveryCallForItsDurationThenLetsItThrough() {
    layer.put("k", entry("v"));
    chaos.delay(Duration.ofMillis(100));

    long start = System.nanoTime();
    assertThat(layer.get("k").value()).isEqualTo("v");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(chaos.faults()).isEqualTo(1);
  }

  @Test
  void targetingLimitsFaultsToTheNamedOperations() {
    chaos.targeting(Chaos.Operation.LEASE).alwaysFail();

    layer.put("k", entry("v"));
    assertThat(layer.get("k").value()).isEqualTo("v");
    assertThatThrownBy(() -> layer.loadLeases().state("k")).isInstanceOf(LayerFailureException.class);

    chaos.targetingAll();
    assertThatThrownBy(() -> layer.get("k")).isInstanceOf(LayerFailureException.class);
    assertThat(chaos.calls(Chaos.Operation.GET)).isEqualTo(2);
    assertThat(chaos.calls(Chaos.Operation.LEASE)).isEqualTo(1);
  }

  @Test
  void releasingALeaseNeverFailsEvenWhileEverythingElseDoes() {
    LoadLeases.Lease lease = layer.loadLeases().tryAcquire("k", Duration.ofSeconds(10));
    chaos.alwaysFail();

    lease.close();

    chaos.off();
    assertThat(layer.loadLeases().state("k")).isEqualTo(LoadLeases.State.FREE);
  }

  @Test
  void aChaosLayerCannotWrapAnotherChaosLayer() {
    assertThatThrownBy(() -> ChaosLayerSpec.wrap(remote.spec().withChaos(chaos), chaos))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> chaos.failWithProbability(1.5, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
