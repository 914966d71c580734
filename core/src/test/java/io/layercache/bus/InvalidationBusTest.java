package io.layercache.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.CacheInstances;
import io.layercache.testing.InMemoryBus;
import io.layercache.testing.InMemoryBusSpec;
import io.layercache.testing.InMemoryRemote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub and the cache links on an in-JVM bus and remote layer: fast, deterministic fault cases. */
class InvalidationBusTest {

  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final CacheInstances instances = new CacheInstances();
  private final InMemoryRemote remote = InMemoryRemote.create();
  private final String channel = "bus-" + UUID.randomUUID();
  private final InMemoryBus bus = InMemoryBus.channel(channel);

  @AfterEach
  void close() {
    instances.close();
  }

  private LayerCacheConfiguration<String, String> config(BusSettings settings) {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), remote.spec())
        .setBus(BusConfig.of(new InMemoryBusSpec(channel), settings));
  }

  private static BusSettings settings() {
    return BusSettings.defaults("unit").withIntervals(Duration.ofMillis(100), Duration.ofMillis(500));
  }

  private static Optional<String> layerOf(LayerCache<String, String> cache, String key) {
    return cache.entryInfo(key).map(EntryInfo::layer);
  }

  private static void warm(LayerCache<String, String> cache, String key) {
    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(cache.asJCache().get(key)).isNotNull();
      assertThat(layerOf(cache, key)).hasValue("memory");
    });
  }

  @Test
  void aPutOnOneInstanceDropsTheOthersCopy() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    a.asJCache().put("k", "v1");
    warm(b, "k");

    a.asJCache().put("k", "v2");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isEqualTo("v2"));
  }

  @Test
  void appliedRemoteChangesArePublishedAsTypedEvents() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    java.util.List<io.layercache.event.CacheEvent<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.subscribe(event -> {
      if (event.getClass().getSimpleName().matches("Remote.*|InProcessRepaired")) {
        seen.add(event);
      }
    });
    a.asJCache().put("k", "v1");
    warm(b, "k");
    seen.clear();

    a.asJCache().put("k", "v2");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(seen)
        .contains(new io.layercache.event.CacheEvent.RemoteInvalidated<>("c", "k")));
    assertThat(layerOf(b, "k")).hasValue(io.layercache.testing.InMemoryRemoteLayerSpec.TYPE);

    a.asJCache().clear();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(seen)
        .contains(new io.layercache.event.CacheEvent.RemoteCleared<>("c")));

    bus.interrupt();
    assertThat(seen).contains(new io.layercache.event.CacheEvent.InProcessRepaired<>("c"));
  }

  @Test
  void aLostMessageIsFoundByTheNextOneAndRepaired() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    a.asJCache().put("k", "v1");
    a.asJCache().put("other", "o");
    warm(b, "k");
    warm(b, "other");

    bus.dropWhile(message -> true);
    a.asJCache().put("k", "v2"); // B never hears of it
    await().atMost(WITHIN).until(() -> a.busStatistics().orElseThrow().queued() == 0);
    bus.dropWhile(message -> false);

    // The next message from A (at the latest its heartbeat) shows the hole: B empties its memory layer.
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.busStatistics().orElseThrow().gaps()).isPositive());
    assertThat(b.asJCache().get("k")).isEqualTo("v2");
    assertThat(b.busStatistics().orElseThrow().repairs()).isPositive();
  }

  @Test
  void garbageForgedDuplicateAndReplayedMessagesAreCountedNeverApplied() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    a.asJCache().put("k", "v1");
    warm(b, "k");
    AtomicReference<byte[]> captured = new AtomicReference<>();
    BusMessageCodec reader = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.dropWhile(message -> {
      // A's message for "x", not a heartbeat (B's own would come back as its own, not a duplicate)
      if (reader.decode(message) instanceof BusMessageCodec.Result.Accepted accepted
          && accepted.message().action() != BusMessage.Action.HEARTBEAT) {
        captured.compareAndSet(null, message);
      }
      return false;
    });
    a.asJCache().put("x", "1");
    await().atMost(WITHIN).until(() -> captured.get() != null);
    long before = b.busStatistics().orElseThrow().rejectedTotal();

    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      byte[] garbage = new byte[1 + random.nextInt(300)];
      random.nextBytes(garbage);
      bus.inject(garbage);
    }
    BusMessageCodec forger = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.inject(forger.encode(new BusMessage("old", 1, 1, System.currentTimeMillis() - 3_600_000,
        BusMessage.Action.CLEAR, "c", 0, List.of(), null)));
    bus.inject(captured.get()); // a duplicate of A's message
    assertThat(layerOf(b, "k")).hasValue("memory"); // nothing was applied
    // A key this instance cannot decode may name something it holds: it empties its memory layers.
    bus.inject(forger.encode(new BusMessage("x", 2, 1, System.currentTimeMillis(), BusMessage.Action.DELETE, "c", 0,
        List.of("not a codec key".getBytes(StandardCharsets.UTF_8)), null)));
    assertThat(layerOf(b, "k")).hasValue(io.layercache.testing.InMemoryRemoteLayerSpec.TYPE);

    BusStatistics stats = b.busStatistics().orElseThrow();
    assertThat(stats.rejectedTotal() - before).isEqualTo(10_003);
    assertThat(stats.rejected().get(BusRejection.REPLAYED)).isEqualTo(1);
    assertThat(stats.rejected().get(BusRejection.BAD_KEY)).isEqualTo(1);

    a.asJCache().put("k", "v2"); // real messages still flow
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isEqualTo("v2"));
  }

  @Test
  void unsignedMessagesAreRefusedWhenSignaturesAreRequired() {
    BusSettings signed = settings().withSigning(BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", true));
    LayerCache<String, String> a = instances.newCache("c", config(signed));
    LayerCache<String, String> b = instances.newCache("c", config(signed));
    a.asJCache().put("k", "v1");
    warm(b, "k");

    bus.inject(new BusMessageCodec(BusSettings.Signing.NONE, 4096).encode(new BusMessage("m", 3, 1,
        System.currentTimeMillis(), BusMessage.Action.CLEAR, "c", 0, List.of(), null)));

    assertThat(b.busStatistics().orElseThrow().rejected().get(BusRejection.UNSIGNED)).isEqualTo(1);
    assertThat(layerOf(b, "k")).hasValue("memory");
    a.asJCache().put("k", "v2");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isEqualTo("v2"));
  }

  @Test
  void messagesWaitWhilePublishingFailsAndFlowAfterwards() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    a.asJCache().put("k", "v1");
    warm(b, "k");

    bus.failPublishing(true);
    a.asJCache().put("k", "v2");
    await().atMost(WITHIN).until(() -> a.busStatistics().orElseThrow().publishFailures() > 0);
    assertThat(layerOf(b, "k")).hasValue("memory");
    assertThat(a.busStatistics().orElseThrow().healthy()).isFalse();
    bus.failPublishing(false);

    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isEqualTo("v2"));
    assertThat(a.busStatistics().orElseThrow().dropped()).isZero();
    await().atMost(WITHIN).until(() -> a.busStatistics().orElseThrow().healthy());
  }

  @Test
  void anInterruptedSubscriptionEmptiesTheMemoryLayers() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    a.asJCache().put("k", "v1");
    warm(a, "k");

    bus.interrupt();

    assertThat(a.busStatistics().orElseThrow().interruptions()).isEqualTo(1);
    assertThat(layerOf(a, "k")).hasValue(io.layercache.testing.InMemoryRemoteLayerSpec.TYPE);
  }

  @Test
  void aPatternDeleteReachesTheOtherInstancesMemoryLayers() {
    LayerCacheConfiguration<String, String> memoryOnly = new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setLayers(MemoryLayerSpec.defaults())
        .setBus(BusConfig.of(new InMemoryBusSpec(channel), settings()));
    LayerCache<String, String> a = instances.newCache("m", memoryOnly);
    LayerCache<String, String> b = instances.newCache("m", memoryOnly);
    for (String key : List.of("user:1", "user:2", "order:1")) {
      b.asJCache().put(key, "v");
    }
    a.asJCache().put("user:9", "v");

    assertThat(a.deleteByPattern("user:*")).isEqualTo(1);

    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.has("user:1")).isFalse());
    assertThat(b.has("user:2")).isFalse();
    assertThat(b.has("order:1")).isTrue();
    assertThat(b.estimatedSize()).isEqualTo(1);
  }

  @Test
  void valuesTravelOnlyInSignedMessages() {
    BusSettings signed = settings().withSigning(BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", false));
    LayerCache<String, String> a = instances.newCache("c", config(signed));
    LayerCache<String, String> b = instances.newCache("c", config(signed));
    LayerCache<String, String> unsignedPeer = instances.newCache("c", config(settings()));

    a.get("loaded", key -> "from-a");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(layerOf(b, "loaded")).hasValue("memory"));
    assertThat(b.busStatistics().orElseThrow().primed()).isEqualTo(1);
    // The unsigned instance cannot verify the value: it is not primed (and it sends no values itself).
    assertThat(unsignedPeer.busStatistics().orElseThrow().primed()).isZero();
    unsignedPeer.get("other", key -> "from-unsigned");
    await().atMost(WITHIN).until(() -> a.busStatistics().orElseThrow().received() >= 1);
    assertThat(layerOf(a, "other")).hasValue(io.layercache.testing.InMemoryRemoteLayerSpec.TYPE);

    // A forged unsigned SET is never served: the key's copy is dropped instead.
    a.asJCache().put("victim", "real");
    warm(b, "victim");
    BusMessageCodec forger = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.inject(forger.encode(new BusMessage("evil", 5, 1, System.currentTimeMillis(), BusMessage.Action.SET, "c", 0,
        List.of(new byte[] {1}), new byte[] {2})));
    assertThat(b.busStatistics().orElseThrow().rejected().get(BusRejection.UNSIGNED)).isPositive();
    assertThat(b.asJCache().get("victim")).isEqualTo("real");
  }

  @Test
  void anUnsignedMessageCannotSilenceASigningInstanceAndImplausibleJumpsAreRefused() {
    BusSettings signing = settings().withSigning(BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", false));
    LayerCache<String, String> a = instances.newCache("c", config(signing));
    LayerCache<String, String> b = instances.newCache("c", config(signing));
    AtomicReference<BusMessage> fromA = new AtomicReference<>();
    BusMessageCodec reader = new BusMessageCodec(signing.signing(), BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.dropWhile(bytes -> {
      if (reader.decode(bytes) instanceof BusMessageCodec.Result.Accepted ok && ok.message().action() == BusMessage.Action.DELETE) {
        fromA.compareAndSet(null, ok.message());
      }
      return false;
    });
    a.asJCache().put("k", "v1");
    await().atMost(WITHIN).until(() -> fromA.get() != null);
    warm(b, "k");
    BusMessage real = fromA.get();
    BusMessageCodec unsigned = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.inject(unsigned.encode(new BusMessage(real.source(), real.incarnation(), Long.MAX_VALUE,
        System.currentTimeMillis(), BusMessage.Action.HEARTBEAT, "", 0, List.of(), null)));

    a.asJCache().put("k", "v2"); // A's next real, signed message must still be applied
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isEqualTo("v2"));
  }

  @Test
  void anInstanceThatGoesSilentWithoutLeavingMakesTheOthersRepair() {
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    b.asJCache().put("k", "v");
    warm(b, "k");
    long repairs = b.busStatistics().orElseThrow().repairs();
    BusMessageCodec codec = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.inject(codec.encode(new BusMessage("ghost", 77, 1, System.currentTimeMillis(), BusMessage.Action.HEARTBEAT, "",
        0, List.of(), null)));

    // its later messages may be refused or lost: 3 heartbeat intervals of silence count as a gap
    await().atMost(WITHIN).until(() -> b.busStatistics().orElseThrow().repairs() > repairs);
    assertThat(layerOf(b, "k")).hasValue(io.layercache.testing.InMemoryRemoteLayerSpec.TYPE);
  }

  @Test
  void aTagStampInTheFutureIsRefused() {
    LayerCache<String, String> b = instances.newCache("c", config(settings()));
    BusMessageCodec codec = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    bus.inject(codec.encode(new BusMessage("x", 5, 1, System.currentTimeMillis(), BusMessage.Action.TAG, "c",
        Long.MAX_VALUE, List.of("t".getBytes(StandardCharsets.UTF_8)), null)));
    assertThat(b.busStatistics().orElseThrow().rejected().get(BusRejection.REPLAYED)).isEqualTo(1);
  }

  @Test
  void publishOnlyInstancesApplyNothing() {
    LayerCache<String, String> a = instances.newCache("c", config(settings()));
    LayerCache<String, String> b = instances.newCache("c", config(settings().withSubscribe(false)));
    a.asJCache().put("k", "v1");
    warm(b, "k");

    a.asJCache().put("k", "v2");
    b.asJCache().put("mine", "m"); // b still publishes

    await().atMost(WITHIN).until(() -> a.busStatistics().orElseThrow().received() >= 1);
    assertThat(b.asJCache().get("k")).isEqualTo("v1");
  }
}
