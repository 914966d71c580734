package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusTransport;
import io.layercache.testsupport.RabbitMqServer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three instances on a real broker, in both deliveries: every kind of change made on one reaches
 * the others' memory layers, and an instance never applies its own messages.
 */
class RabbitMqInvalidationIT extends RabbitMqFixture {

  RabbitMqInvalidationIT(RabbitMqServer broker) {
    super(broker);
  }

  private List<LayerCache<String, String>> threeInstances(Mode mode, BusSettings settings) {
    List<LayerCache<String, String>> caches = List.of(
        newInstance("users", memoryAndRemote(spec(mode, 0), settings)),
        newInstance("users", memoryAndRemote(spec(mode, 1), settings)),
        newInstance("users", memoryAndRemote(spec(mode, 2), settings)));
    awaitHealthy(caches);
    return caches;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPutOnOneInstanceDropsTheOthersMemoryCopies(Mode mode) {
    List<LayerCache<String, String>> caches = threeInstances(mode, steadySettings("it"));
    caches.get(0).asJCache().put("ada", "v1");
    warm(caches.get(1), "ada");
    warm(caches.get(2), "ada");

    caches.get(0).asJCache().put("ada", "v2");

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(caches.get(1).asJCache().get("ada")).isEqualTo("v2");
      assertThat(caches.get(2).asJCache().get("ada")).isEqualTo("v2");
    });
    assertThat(stats(caches.get(1)).received()).isPositive();
    assertThat(stats(caches.get(1)).transportDetail()).isEqualTo("consuming");
    assertThat(stats(caches.get(1)).gaps()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyRemoveFormReachesTheOtherInstances(Mode mode) {
    List<LayerCache<String, String>> caches = threeInstances(mode, steadySettings("it"));
    List<String> keys = List.of("k1", "k2", "k3", "k4", "k5");
    for (String key : keys) {
      caches.get(0).asJCache().put(key, "v");
    }
    warm(caches.get(1), keys.toArray(String[]::new));

    caches.get(0).asJCache().remove("k1");
    caches.get(0).asJCache().remove("k2", "v");
    caches.get(0).asJCache().getAndRemove("k3");
    caches.get(0).asJCache().invoke("k4", (entry, args) -> {
      entry.remove();
      return null;
    });
    caches.get(0).invalidate("k5");

    await().atMost(WITHIN).untilAsserted(() -> {
      for (String key : keys) {
        assertThat(layerOf(caches.get(1), key)).as(key).isEmpty();
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void clearOnOneInstanceEmptiesTheOthersMemoryLayers(Mode mode) {
    List<LayerCache<String, String>> caches = threeInstances(mode, steadySettings("it"));
    caches.get(0).asJCache().put("a", "1");
    caches.get(0).asJCache().put("b", "2");
    warm(caches.get(2), "a", "b");

    caches.get(0).asJCache().clear();

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(caches.get(2).asJCache().get("a")).isNull();
      assertThat(caches.get(2).asJCache().get("b")).isNull();
    });
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTagInvalidationOnOneInstanceHidesTaggedEntriesOnTheOthers(Mode mode) {
    List<LayerCache<String, String>> caches = threeInstances(mode, steadySettings("it"));
    caches.get(0).set("order-1", "o1", EntryOptions.defaults().withTags(Set.of("customer-7")));
    caches.get(0).set("order-2", "o2", EntryOptions.defaults().withTags(Set.of("customer-8")));
    warm(caches.get(1), "order-1", "order-2");

    caches.get(0).invalidateByTag("customer-7");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(caches.get(1).asJCache().get("order-1")).isNull());
    assertThat(caches.get(1).asJCache().get("order-2")).isEqualTo("o2");
    assertThat(layerOf(caches.get(1), "order-2")).hasValue("memory");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void memoryOnlyCachesForgetWhatAnotherInstanceChanged(Mode mode) {
    BusSettings settings = steadySettings("it");
    LayerCache<String, String> a = newInstance("local", memoryOnly(spec(mode, 0), settings));
    LayerCache<String, String> b = newInstance("local", memoryOnly(spec(mode, 1), settings));
    awaitHealthy(List.of(a, b));
    b.asJCache().put("k", "b's own value");
    // b's put makes a forget k too: let that arrive before a writes its own value.
    await().atMost(WITHIN).until(() -> stats(a).received() >= 1);

    a.asJCache().put("k", "a's value");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isNull());
    assertThat(a.asJCache().get("k")).isEqualTo("a's value");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aLoadOnOneInstancePrimesTheOthersWithOneLoaderCall(Mode mode) {
    List<LayerCache<String, String>> caches = threeInstances(mode, steadySettings("it").withSigning(
        BusSettings.Signing.of("k1", "an-example-secret-of-32-bytes-min", true)));
    AtomicInteger loads = new AtomicInteger();

    assertThat(caches.get(0).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");

    await().atMost(WITHIN).untilAsserted(() -> {
      assertThat(layerOf(caches.get(1), "report")).hasValue("memory");
      assertThat(layerOf(caches.get(2), "report")).hasValue("memory");
    });
    assertThat(caches.get(1).get("report", key -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-1");
    assertThat(loads).hasValue(1);
    assertThat(stats(caches.get(1)).primed()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anInstanceNeverAppliesItsOwnMessages(Mode mode) {
    List<LayerCache<String, String>> caches = threeInstances(mode, steadySettings("it"));
    caches.get(0).asJCache().put("x", "1");
    assertThat(caches.get(0).asJCache().get("x")).isEqualTo("1");
    long own = stats(caches.get(0)).ownMessages();
    await().atMost(WITHIN).until(() -> stats(caches.get(0)).ownMessages() >= own + 2);
    assertThat(layerOf(caches.get(0), "x")).hasValue("memory");
  }

  @Test
  void theDeliveryFollowsTheOneSwitch() {
    assertThat(atMostOnce().delivery()).isEqualTo(BusTransport.Delivery.AT_MOST_ONCE);
    assertThat(durable("q").delivery()).isEqualTo(BusTransport.Delivery.DURABLE);
    assertThat(durable("q").withDurability(true, null).delivery()).isEqualTo(BusTransport.Delivery.DURABLE);
    assertThat(atMostOnce().withQueue(exchange + ".named", false, false).delivery())
        .as("a named queue that is not durable is lost with the broker").isEqualTo(BusTransport.Delivery.AT_MOST_ONCE);
  }

  @Test
  void anInjectedConnectionCarriesTheBusAndIsNeverClosedByIt() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.url());
    try (Connection connection = factory.newConnection("application")) {
      RabbitMqBusSpec spec = RabbitMqBusSpec.of(RabbitMqConnection.injected(connection), exchange);
      var manager = newManager();
      LayerCache<String, String> a = io.layercache.testing.CacheInstances.layered(manager.createCache("users", memoryAndRemote(spec,
          steadySettings("a"))));
      LayerCache<String, String> b = newInstance("users", memoryAndRemote(atMostOnce(), steadySettings("b")));
      awaitHealthy(List.of(a, b));
      b.asJCache().put("k", "v1");
      warm(a, "k");

      b.asJCache().put("k", "v2");

      await().atMost(WITHIN).untilAsserted(() -> assertThat(a.asJCache().get("k")).isEqualTo("v2"));
      manager.close();
      assertThat(connection.isOpen()).as("the application's connection outlives the cache manager").isTrue();
    }
  }
}
