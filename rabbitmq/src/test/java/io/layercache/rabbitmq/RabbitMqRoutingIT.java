package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.bus.BusSettings;
import io.layercache.rabbitmq.RabbitMqBusSpec.ExchangeType;
import io.layercache.testsupport.RabbitMqServer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One topic or direct exchange shared by two groups of instances, each with its own routing key:
 * a change reaches the instances of its group and no other.
 */
class RabbitMqRoutingIT extends RabbitMqFixture {

  RabbitMqRoutingIT(RabbitMqServer broker) {
    super(broker);
  }

  @ParameterizedTest
  @EnumSource(value = ExchangeType.class, names = {"TOPIC", "DIRECT"})
  void aChangeReachesTheInstancesOfItsRoutingKeyOnly(ExchangeType type) {
    BusSettings settings = steadySettings("it");
    RabbitMqBusSpec orders = atMostOnce().withRouting(type, "deployment.orders");
    RabbitMqBusSpec users = atMostOnce().withRouting(type, "deployment.users");
    LayerCache<String, String> ordersA = newInstance("shared", memoryAndRemote(orders, settings));
    LayerCache<String, String> ordersB = newInstance("shared", memoryAndRemote(orders, settings));
    LayerCache<String, String> usersC = newInstance("shared", memoryAndRemote(users, settings));
    awaitHealthy(List.of(ordersA, ordersB, usersC));
    ordersA.asJCache().put("k", "v1");
    warm(ordersB, "k");
    warm(usersC, "k");
    long heardByC = stats(usersC).received();

    ordersA.asJCache().put("k", "v2");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(ordersB.asJCache().get("k")).isEqualTo("v2"));
    // C is bound with another key: its memory copy stays (until it expires or C repairs).
    usersC.asJCache().put("other", "x");
    await().atMost(WITHIN).until(() -> stats(usersC).ownMessages() >= 1);
    assertThat(stats(usersC).received()).isEqualTo(heardByC);
    assertThat(layerOf(usersC, "k")).hasValue("memory");
    assertThat(usersC.asJCache().get("k")).isEqualTo("v1");
    assertThat(stats(ordersA).received()).as("A heard nothing from C either").isZero();
  }
}
