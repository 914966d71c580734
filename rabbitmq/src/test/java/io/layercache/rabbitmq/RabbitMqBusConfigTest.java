package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusTransport;
import io.layercache.config.CacheTemplates;
import io.layercache.config.ConfigFileReader;
import io.layercache.rabbitmq.RabbitMqBusSpec.ExchangeType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code bus.rabbitmq} section: defaults, every setting, and errors naming the setting. */
class RabbitMqBusConfigTest {

  private final ClassLoader loader = getClass().getClassLoader();
  private final Config reference = ConfigFactory.defaultReference(loader);

  private RabbitMqBusSpec specOf(String rabbitSection) {
    String hocon = "layercache.default.bus { type = rabbitmq\n rabbitmq { " + rabbitSection + " } }";
    CacheTemplates templates = ConfigFileReader.templates(ConfigFactory.parseString(hocon).withFallback(reference)
        .resolve(), reference, loader);
    BusConfig bus = templates.defaults().getBus();
    return (RabbitMqBusSpec) bus.transport();
  }

  @Test
  void theDefaultsAreAtMostOnceOnAFanoutExchange() {
    RabbitMqBusSpec spec = specOf("");
    String url = System.getenv("AMQP_URL") == null ? RabbitMqConnection.DEFAULT_URL : System.getenv("AMQP_URL");
    assertThat(spec.connection()).isEqualTo(new RabbitMqConnection.Url(url, Duration.ofSeconds(2),
        Duration.ofSeconds(1)));
    assertThat(spec.exchange()).isEqualTo("layercache.invalidations");
    assertThat(spec.exchangeType()).isEqualTo(ExchangeType.FANOUT);
    assertThat(spec.routingKey()).isEmpty();
    assertThat(spec.durableInvalidationMode()).isFalse();
    assertThat(spec.queueName()).isNull();
    assertThat(spec.durableEffective()).isFalse();
    assertThat(spec.persistentEffective()).isFalse();
    assertThat(spec.exclusiveEffective()).isTrue();
    assertThat(spec.autoDeleteEffective()).isTrue();
    assertThat(spec.prefetch()).isEqualTo(100);
    assertThat(spec.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(spec.delivery()).isEqualTo(BusTransport.Delivery.AT_MOST_ONCE);
    assertThat(spec).isEqualTo(RabbitMqBusSpec.of(spec.connection(), "layercache.invalidations"));
  }

  @Test
  void theOneSwitchMakesEverythingDurable() {
    RabbitMqBusSpec spec = specOf("durable-invalidation-mode = true, queue-name = \"host-1-cache\"");
    assertThat(spec.durableEffective()).isTrue();
    assertThat(spec.persistentEffective()).isTrue();
    assertThat(spec.exclusiveEffective()).isFalse();
    assertThat(spec.autoDeleteEffective()).isFalse();
    assertThat(spec.delivery()).isEqualTo(BusTransport.Delivery.DURABLE);
  }

  @Test
  void everySettingIsRead() {
    RabbitMqBusSpec spec = specOf("""
        url = "amqps://app:secret@mq.internal:5671/prod"
        connection-timeout = 3s
        recovery-interval = 500ms
        exchange = "app.invalidations"
        exchange-type = topic
        routing-key = "orders"
        durable = true
        persistent = false
        queue-name = "host-1-cache"
        exclusive-queue = false
        auto-delete-queue = true
        prefetch = 0
        publish-timeout = 1s
        """);
    assertThat(spec).isEqualTo(new RabbitMqBusSpec(new RabbitMqConnection.Url("amqps://app:secret@mq.internal:5671/prod",
        Duration.ofSeconds(3), Duration.ofMillis(500)), "app.invalidations", ExchangeType.TOPIC, "orders", false, true,
        false, "host-1-cache", false, true, 0, Duration.ofSeconds(1)));
    assertThat(spec.delivery()).as("an auto-delete queue goes with its instance")
        .isEqualTo(BusTransport.Delivery.AT_MOST_ONCE);
    assertThat(spec.connection().toString()).doesNotContain("secret").contains("app:***@mq.internal");
  }

  @Test
  void durableModeWithoutAQueueNameNamesTheSetting() {
    assertThatThrownBy(() -> specOf("durable-invalidation-mode = true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("layercache.default.bus.rabbitmq: ")
        .hasMessageContaining("durable-invalidation-mode = true needs a queue-name");
  }

  @Test
  void settingsContradictingDurableModeAreRefused() {
    String durable = "durable-invalidation-mode = true, queue-name = q, ";
    assertThatThrownBy(() -> specOf(durable + "exclusive-queue = true"))
        .hasMessageContaining("exclusive-queue = true contradicts durable-invalidation-mode = true");
    assertThatThrownBy(() -> specOf(durable + "auto-delete-queue = true"))
        .hasMessageContaining("auto-delete-queue = true contradicts");
    assertThatThrownBy(() -> specOf(durable + "durable = false")).hasMessageContaining("durable = false contradicts");
    assertThatThrownBy(() -> specOf(durable + "persistent = false"))
        .hasMessageContaining("persistent = false contradicts");
  }

  @Test
  void badValuesNameTheirSetting() {
    assertThatThrownBy(() -> specOf("exchange-type = headers")).hasMessageContaining(
        "bus.rabbitmq.exchange-type must be fanout, topic or direct, was 'headers'");
    assertThatThrownBy(() -> specOf("routing-key = orders")).hasMessageContaining(
        "bus.rabbitmq.routing-key is not used by a fanout exchange");
    assertThatThrownBy(() -> specOf("exchange-type = direct")).hasMessageContaining(
        "bus.rabbitmq.routing-key must be 1 to 255 bytes with exchange-type = direct");
    assertThatThrownBy(() -> specOf("exchange-type = topic, routing-key = \"orders.*\"")).hasMessageContaining(
        "cannot hold the wildcards");
    assertThatThrownBy(() -> specOf("exchange = \"amq.fanout\"")).hasMessageContaining(
        "bus.rabbitmq.exchange must be 1 to 255 letters");
    assertThatThrownBy(() -> specOf("queue-name = \"a queue\"")).hasMessageContaining(
        "bus.rabbitmq.queue-name must be 1 to 255 letters");
    assertThatThrownBy(() -> specOf("prefetch = 70000")).hasMessageContaining(
        "bus.rabbitmq.prefetch must be 0 (no limit) to 65535, was 70000");
    assertThatThrownBy(() -> specOf("publish-timeout = 0s")).hasMessageContaining(
        "bus.rabbitmq.publish-timeout must be positive");
    assertThatThrownBy(() -> specOf("prefetch = many")).hasMessageContaining(
        "layercache.default.bus.rabbitmq.prefetch");
    assertThatThrownBy(() -> specOf("exclusive-queue = false, auto-delete-queue = false")).hasMessageContaining(
        "needs a queue-name: a server-named queue that outlives its connection");
  }

  @Test
  void badUrlsAreRefusedWithoutShowingThePassword() {
    assertThatThrownBy(() -> specOf("url = \"http://app:secret@mq:5672\""))
        .hasMessageContaining("bus.rabbitmq.url must start with amqp:// or amqps://")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> specOf("url = \"amqp://app:secret@mq:5672?heartbeat=10\""))
        .hasMessageContaining("query parameters are not read").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> specOf("url = \"amqp://\"")).hasMessageContaining("bus.rabbitmq.url");
    assertThatThrownBy(() -> specOf("recovery-interval = 0s")).hasMessageContaining(
        "bus.rabbitmq.recovery-interval must be positive");
  }

  @Test
  void anUnknownSettingIsRefusedWithItsPath() {
    assertThatThrownBy(() -> specOf("queue-nmae = q")).hasMessageContaining("queue-nmae");
  }
}
