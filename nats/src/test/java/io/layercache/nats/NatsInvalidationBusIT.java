package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.bus.BusMessage;
import io.layercache.bus.BusMessageCodec;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusSettings;
import io.layercache.testsupport.NatsServer;
import io.layercache.testsupport.NatsServerExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three instances on one real nats-server, in core and in JetStream mode: every kind of change
 * on one reaches the others' memory layers.
 */
@ExtendWith(NatsServerExtension.class)
class NatsInvalidationBusIT extends NatsBusFixture {

  private final NatsServer server;

  NatsInvalidationBusIT(NatsServer server) {
    this.server = server;
  }

  private List<Cache<String, String>> threeInstances(NatsBusSpec.Mode mode, BusSettings settings) {
    List<Cache<String, String>> caches = List.of(instance("users", spec(server, mode, "a"), settings),
        instance("users", spec(server, mode, "b"), settings), instance("users", spec(server, mode, "c"), settings));
    caches.forEach(NatsBusFixture::awaitHealthy);
    return caches;
  }

  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void aPutOnOneInstanceReachesTheOthersMemory(NatsBusSpec.Mode mode) {
    List<Cache<String, String>> caches = threeInstances(mode, fastSettings());
    caches.get(0).put("ada", "v1");
    warm(caches.get(1), "ada");
    warm(caches.get(2), "ada");

    caches.get(0).put("ada", "v2");

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(caches.get(1).get("ada")).isEqualTo("v2");
      assertThat(caches.get(2).get("ada")).isEqualTo("v2");
    });
    assertThat(stats(caches.get(1)).received()).isPositive();
    assertThat(stats(caches.get(1)).transportDetail()).isEqualTo(mode == NatsBusSpec.Mode.CORE
        ? "subscribed to " + subject() : "consuming stream " + stream() + " as durable b-" + id);
  }

  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void everyRemoveFormReachesTheOtherInstances(NatsBusSpec.Mode mode) {
    List<Cache<String, String>> caches = threeInstances(mode, fastSettings());
    List<String> keys = List.of("k1", "k2", "k3", "k4", "k5");
    keys.forEach(key -> caches.get(0).put(key, "v"));
    warm(caches.get(1), keys.toArray(String[]::new));

    caches.get(0).remove("k1");
    caches.get(0).remove("k2", "v");
    caches.get(0).getAndRemove("k3");
    caches.get(0).invoke("k4", (entry, args) -> {
      entry.remove();
      return null;
    });
    layered(caches.get(0)).invalidate("k5");

    await().atMost(WITHIN).untilAsserted(() -> keys.forEach(key -> assertThat(layerOf(caches.get(1), key))
        .as(key).isEmpty()));
  }

  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void clearAndTagInvalidationReachTheOtherInstances(NatsBusSpec.Mode mode) {
    List<Cache<String, String>> caches = threeInstances(mode, fastSettings());
    layered(caches.get(0)).set("order-1", "o1", EntryOptions.defaults().withTags(Set.of("customer-7")));
    layered(caches.get(0)).set("order-2", "o2", EntryOptions.defaults().withTags(Set.of("customer-8")));
    warm(caches.get(2), "order-1", "order-2");

    layered(caches.get(0)).invalidateByTag("customer-7");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(caches.get(2).get("order-1")).isNull());
    assertThat(layerOf(caches.get(2), "order-2")).hasValue("memory");

    caches.get(0).clear();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(layerOf(caches.get(2), "order-2")).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void aLoadOnOneInstancePrimesTheOthersWithOneLoaderCall(NatsBusSpec.Mode mode) {
    List<Cache<String, String>> caches = threeInstances(mode, fastSettings().withSigning(
        BusSettings.Signing.of("k1", "an-example-secret-of-32-bytes-min", true)));
    AtomicInteger loads = new AtomicInteger();

    assertThat(layered(caches.get(0)).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(layerOf(caches.get(1), "report")).hasValue("memory");
      assertThat(layerOf(caches.get(2), "report")).hasValue("memory");
    });
    assertThat(layered(caches.get(1)).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");
    assertThat(loads).hasValue(1);
  }

  /** The same bytes twice on the subject (a redelivery, a replay): applied once, then a DUPLICATE. */
  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void aMessageDeliveredTwiceIsAppliedOnce(NatsBusSpec.Mode mode) {
    List<Cache<String, String>> caches = threeInstances(mode, fastSettings());
    Cache<String, String> b = caches.get(1);
    caches.get(0).put("k", "v");
    await().atMost(WITHIN).until(() -> stats(b).received() >= 1); // A's own invalidation is in, before warming
    warm(b, "k");
    byte[] clear = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES).encode(
        new BusMessage("twice", 42, 1, System.currentTimeMillis(), BusMessage.Action.CLEAR, "users", 0, List.of(),
            null));
    long received = stats(b).received();

    server.publishRaw(subject(), List.of(clear));
    await().atMost(WITHIN).until(() -> stats(b).received() == received + 1);
    assertThat(layerOf(b, "k")).as("the first copy emptied memory").hasValue("in-memory-remote");
    warm(b, "k");

    server.publishRaw(subject(), List.of(clear));
    await().atMost(WITHIN).until(() -> stats(b).rejected().get(BusRejection.DUPLICATE) == 1);
    assertThat(layerOf(b, "k")).as("the second copy was not applied").hasValue("memory");
    assertThat(stats(b).received()).isEqualTo(received + 1);
  }

  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void anInstanceNeverAppliesItsOwnMessages(NatsBusSpec.Mode mode) {
    List<Cache<String, String>> caches = threeInstances(mode, fastSettings());
    caches.get(0).put("x", "1");
    assertThat(caches.get(0).get("x")).isEqualTo("1");
    await().atMost(WITHIN).until(() -> stats(caches.get(0)).ownMessages() >= 2);
    assertThat(layerOf(caches.get(0), "x")).hasValue("memory");
  }
}
