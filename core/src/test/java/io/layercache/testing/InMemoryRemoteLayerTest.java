package io.layercache.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.layercache.ManualTime;
import io.layercache.codec.CodecSettings;
import io.layercache.layer.FencedWriteException;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerTraits;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.SharedResources;
import io.layercache.layer.StoredEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory remote layer keeps the Redis layer's contract, which the topology tests rely on. */
class InMemoryRemoteLayerTest {

  private final ManualTime time = new ManualTime();
  private final InMemoryRemote remote = InMemoryRemote.create();
  private final SharedResources shared = new SharedResources();

  @AfterEach
  void forgetRemote() {
    shared.close();
    remote.forget();
  }

  private <V> InMemoryRemoteLayer<String, V> layer(InMemoryRemoteLayerSpec spec, String cache, Class<V> valueType,
      long retainExpiredMillis) {
    LayerContext<String, V> context = new LayerContext<>(cache, getClass().getClassLoader(), time,
        (layer, key, entry, expired) -> { }, true, shared, valueType, retainExpiredMillis);
    return (InMemoryRemoteLayer<String, V>) new InMemoryRemoteLayerFactory().<String, V>create(spec, context);
  }

  private InMemoryRemoteLayer<String, String> stringLayer() {
    return layer(remote.spec(), "c", String.class, 0);
  }

  private StoredEntry<String> entry(String value) {
    return StoredEntry.of(value, StoredEntry.ETERNAL, time.currentTimeMillis() * 1000, Set.of());
  }

  @Test
  void layersOfOneCacheOnOneNamespaceShareEntriesAsCopiesNeverAsTheSameObject() {
    InMemoryRemoteLayer<String, Object> a = layer(remote.spec(), "c", Object.class, 0);
    InMemoryRemoteLayer<String, Object> b = layer(remote.spec(), "c", Object.class, 0);
    List<String> written = new ArrayList<>(List.of("x"));
    a.put("k", StoredEntry.of(written, StoredEntry.ETERNAL, 1L, Set.of()));
    written.add("changed after the write");

    StoredEntry<Object> read = b.get("k");

    assertThat(read.value()).isEqualTo(List.of("x")).isNotSameAs(written);
    assertThat(b.get("k").value()).as("every read decodes a new object").isNotSameAs(read.value());
    assertThat(a.traits()).isEqualTo(LayerTraits.REMOTE);
    assertThat(remote.layers("c")).containsExactly(a, b);
  }

  @Test
  void otherNamespacesAndOtherCachesSeeNothing() {
    stringLayer().put("k", entry("v"));
    InMemoryRemote other = InMemoryRemote.create();
    try {
      assertThat(layer(other.spec(), "c", String.class, 0).get("k")).isNull();
      assertThat(layer(remote.spec(), "another-cache", String.class, 0).get("k")).isNull();
      assertThat(layer(InMemoryRemoteLayerSpec.of(remote.namespace()), "c", String.class, 0).get("k").value())
          .isEqualTo("v");
    } finally {
      other.forget();
    }
  }

  @Test
  void computeRunsTheFunctionAgainWhenAnotherInstanceWroteBetweenItsReadAndItsWrite() {
    InMemoryRemoteLayer<String, String> a = stringLayer();
    InMemoryRemoteLayer<String, String> b = stringLayer();
    a.put("k", entry("0"));
    a.store().interleaveBeforeNextCompareAndSet(() -> b.put("k", entry("10")));
    List<String> seen = new ArrayList<>();

    StoredEntry<String> result = a.compute("k", (key, current) -> {
      seen.add(current.value());
      return entry(current.value() + "+1");
    });

    assertThat(seen).containsExactly("0", "10");
    assertThat(result.value()).isEqualTo("10+1");
    assertThat(b.get("k").value()).isEqualTo("10+1");
    assertThat(a.diagnostics()).containsEntry("cas-retries", 1L);
    assertThat(a.calls(RemoteOperation.COMPUTE)).isEqualTo(1);
  }

  @Test
  void computeReturningTheEntryItSawWritesNothing() {
    InMemoryRemoteLayer<String, String> a = stringLayer();
    a.put("k", entry("v"));
    a.store().interleaveBeforeNextCompareAndSet(() -> {
      throw new AssertionError("an unchanged entry must not reach the compare-and-set");
    });

    assertThat(a.compute("k", (key, current) -> current).value()).isEqualTo("v");
    assertThat(a.compute("absent", (key, current) -> null)).isNull();
    assertThat(a.store().takeInterleave()).as("still pending: no write happened").isNotNull();
  }

  @Test
  void anExpiredEntryIsReadUntilItsGraceAndFailSafeRetentionEnd() {
    InMemoryRemoteLayer<String, String> layer = layer(remote.spec().withExpiredEntryGrace(Duration.ofSeconds(5)), "c",
        String.class, Duration.ofMinutes(1).toMillis());
    long now = time.currentTimeMillis();
    layer.put("value", StoredEntry.of("v", now + 10_000, now * 1000, Set.of()));
    layer.put("not-found", StoredEntry.notFound(now + 10_000, now * 1000));

    time.advance(Duration.ofSeconds(14));
    assertThat(layer.get("value").isExpiredAt(time.currentTimeMillis())).isTrue();
    assertThat(layer.get("not-found")).as("within the grace").isNotNull();

    time.advance(Duration.ofSeconds(2));
    assertThat(layer.get("not-found")).as("a not-found keeps the grace only, never fail-safe's retention").isNull();
    assertThat(layer.get("value")).isNotNull();

    time.advance(Duration.ofMinutes(1));
    assertThat(layer.get("value")).isNull();
    assertThat(layer.store().contains("value")).isFalse();
  }

  @Test
  void aLeaseHasOneHolderAndEveryNewLeaseAGreaterFencingToken() {
    LoadLeases<String> a = stringLayer().loadLeases();
    LoadLeases<String> b = stringLayer().loadLeases();

    LoadLeases.Lease first = a.tryAcquire("k", Duration.ofSeconds(10));
    assertThat(first).isNotNull();
    assertThat(b.tryAcquire("k", Duration.ofSeconds(10))).isNull();
    assertThat(b.state("k")).isEqualTo(LoadLeases.State.HELD);
    assertThat(b.tryAcquire("other-key", Duration.ofSeconds(10))).isNotNull();

    first.close();
    assertThat(b.state("k")).isEqualTo(LoadLeases.State.FREE);
    LoadLeases.Lease second = b.tryAcquire("k", Duration.ofSeconds(10));
    assertThat(second.fence()).isGreaterThan(first.fence());
    first.close();
    assertThat(b.state("k")).as("closing an old lease never frees the new holder's").isEqualTo(LoadLeases.State.HELD);
  }

  @Test
  void aValueLoadedUnderALostLeaseIsRefusedOnceANewerLeaseWasGranted() {
    InMemoryRemoteLayer<String, String> a = stringLayer();
    InMemoryRemoteLayer<String, String> b = stringLayer();
    LoadLeases.Lease lost = a.loadLeases().tryAcquire("k", Duration.ofSeconds(10));

    assertThat(a.store().loseLease("k")).isTrue();
    assertThat(lost.isValid()).isFalse();
    LoadLeases.Lease newer = b.loadLeases().tryAcquire("k", Duration.ofSeconds(10));

    assertThatThrownBy(() -> a.put("k", entry("late").withFence(lost.fence())))
        .isInstanceOf(FencedWriteException.class).hasMessageContaining("another instance took the load over");
    assertThatThrownBy(() -> a.compute("k", (key, current) -> entry("late").withFence(lost.fence())))
        .isInstanceOf(FencedWriteException.class);
    assertThat(a.get("k")).isNull();
    assertThat(a.diagnostics()).containsEntry("fenced-writes", 2L);

    b.put("k", entry("newer").withFence(newer.fence()));
    assertThat(a.get("k").value()).isEqualTo("newer");
    assertThat(a.get("k").fence()).as("the envelope does not keep the token, as in Redis").isZero();
    a.put("k", entry("unfenced write"));
    assertThat(b.get("k").value()).as("ordinary writes are never fenced").isEqualTo("unfenced write");
  }

  @Test
  void aLoadThatFoundNothingLeavesAShortMarkThatKeepsTheLeaseFromOthers() {
    LoadLeases<String> a = stringLayer().loadLeases();
    LoadLeases<String> b = stringLayer().loadLeases();
    a.tryAcquire("k", Duration.ofSeconds(10)).releaseFoundNothing();

    assertThat(b.state("k")).isEqualTo(LoadLeases.State.FOUND_NOTHING);
    assertThat(b.tryAcquire("k", Duration.ofSeconds(10))).isNull();
    await().atMost(Duration.ofSeconds(5)).until(() -> b.state("k") == LoadLeases.State.FREE);
    assertThat(b.tryAcquire("k", Duration.ofSeconds(10))).isNotNull();
  }

  @Test
  void everyCallIsCountedPerOperationAndPerInstance() {
    InMemoryRemoteLayer<String, String> a = stringLayer();
    InMemoryRemoteLayer<String, String> b = stringLayer();
    a.put("k", entry("v"));
    a.get("k");
    a.get("k");
    a.remove("k", entry("other"));
    a.loadLeases().tryAcquire("k", Duration.ofSeconds(1)).close();
    b.get("k");

    assertThat(a.calls(RemoteOperation.PUT)).isEqualTo(1);
    assertThat(a.calls(RemoteOperation.GET)).isEqualTo(2);
    assertThat(a.calls(RemoteOperation.COMPUTE)).as("remove(key, expected) is one compute").isEqualTo(1);
    assertThat(a.calls(RemoteOperation.LEASE_ACQUIRE)).isEqualTo(1);
    assertThat(a.calls(RemoteOperation.LEASE_RELEASE)).isEqualTo(1);
    assertThat(a.totalCalls()).isEqualTo(6);
    assertThat(b.totalCalls()).isEqualTo(1);
    assertThat(remote.calls("c", RemoteOperation.GET)).isEqualTo(3);
    a.peek("k");
    assertThat(a.calls(RemoteOperation.GET)).as("peek is not a call").isEqualTo(2);
    a.resetCalls();
    assertThat(a.totalCalls()).isZero();
  }

  @Test
  void aValueOverTheCodecsSizeCapIsKeptOutAndItsOlderCopyDeleted() {
    InMemoryRemoteLayer<String, String> layer = layer(remote.spec().withCodec(CodecSettings.defaults()
        .withMaxValueBytes(512)), "c", String.class, 0);
    layer.put("k", entry("small"));
    StringBuilder incompressible = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      incompressible.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }

    layer.put("k", entry(incompressible.toString()));

    assertThat(layer.get("k")).isNull();
    assertThat(layer.diagnostics()).containsEntry("oversized", 1L);
  }

  @Test
  void aLayerWithoutLeasesOffersNone() {
    assertThat(layer(remote.spec().withoutLoadLeases(), "c", String.class, 0).loadLeases()).isNull();
  }

  @Test
  void aConfigurationSectionSelectsTheNamespaceAndSettings() {
    InMemoryRemoteLayerSpec spec = (InMemoryRemoteLayerSpec) new InMemoryRemoteLayerFactory().parse(
        ConfigFactory.parseString("namespace = shared-one, expired-entry-grace = 2s, load-leases = false"),
        "layercache.default.in-memory-remote", getClass().getClassLoader());

    assertThat(spec.namespace()).isEqualTo("shared-one");
    assertThat(spec.expiredEntryGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(spec.loadLeases()).isFalse();
    assertThatThrownBy(() -> new InMemoryRemoteLayerFactory().parse(ConfigFactory.parseString("ttl = -1s"),
        "layercache.default.in-memory-remote", getClass().getClassLoader()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in-memory-remote.ttl");
  }

  @Test
  void theChaosFactoryWrapsTheLayerItsSpecNamesAndBothTypesAreFoundByType() {
    Layer<String, String> chaotic = new ChaosLayerFactory().create(remote.spec().withChaos(Chaos.create()),
        new LayerContext<>("c", getClass().getClassLoader(), time, (layer, key, entry, expired) -> { }, true, shared,
            String.class, 0));
    assertThat(chaotic).isInstanceOf(ChaosLayer.class);
    assertThat(((ChaosLayer<String, String>) chaotic).delegate()).isInstanceOf(InMemoryRemoteLayer.class);
    assertThat(io.layercache.layer.LayerFactories.find(InMemoryRemoteLayerSpec.TYPE, getClass().getClassLoader()))
        .isInstanceOf(InMemoryRemoteLayerFactory.class);
  }
}
