package io.layercache.rabbitmq;

import com.typesafe.config.Config;
import io.layercache.bus.BusFactory;
import io.layercache.bus.BusSpec;
import io.layercache.bus.BusTransport;
import io.layercache.config.Settings;
import io.layercache.layer.SharedResources;
import java.time.Duration;

/**
 * Builds the RabbitMQ transport of the invalidation bus; found by core through
 * {@link java.util.ServiceLoader} as bus type {@code rabbitmq}. Its settings are the cache's
 * {@code bus.rabbitmq} section. Buses of one cache manager with the same URL share one connection
 * (each has its own channels); an injected connection is used as it is.
 */
public final class RabbitMqBusFactory implements BusFactory {

  /** Connections made by the bus, one per URL and cache manager. */
  private record ConnectorKey(RabbitMqConnection.Url url) {}

  @Override
  public String type() {
    return RabbitMqBusSpec.TYPE;
  }

  @Override
  public BusSpec parse(Config cache, String path, ClassLoader classLoader) {
    Settings s = new Settings(cache.getConfig("bus.rabbitmq"), path + ".bus.rabbitmq");
    String url = s.getString("url");
    Duration connectionTimeout = s.optionalDuration("connection-timeout");
    Duration recoveryInterval = s.optionalDuration("recovery-interval");
    RabbitMqConnection connection = s.validated(() -> new RabbitMqConnection.Url(url, connectionTimeout,
        recoveryInterval));
    String exchange = s.getString("exchange");
    String exchangeType = s.getString("exchange-type");
    String routingKey = s.getString("routing-key");
    boolean durableMode = s.getBoolean("durable-invalidation-mode");
    Boolean durable = optionalBoolean(s, "durable");
    Boolean persistent = optionalBoolean(s, "persistent");
    String queueName = s.optionalString("queue-name");
    Boolean exclusive = optionalBoolean(s, "exclusive-queue");
    Boolean autoDelete = optionalBoolean(s, "auto-delete-queue");
    int prefetch = s.getInt("prefetch");
    Duration publishTimeout = s.optionalDuration("publish-timeout");
    return s.validated(() -> new RabbitMqBusSpec(connection, exchange, RabbitMqBusSpec.ExchangeType.parse(exchangeType),
        routingKey, durableMode, durable, persistent, queueName, exclusive, autoDelete, prefetch, publishTimeout));
  }

  private static Boolean optionalBoolean(Settings s, String key) {
    return s.has(key) ? s.getBoolean(key) : null;
  }

  @Override
  public BusTransport create(BusSpec spec, SharedResources shared, ClassLoader classLoader) {
    RabbitMqBusSpec rabbit = (RabbitMqBusSpec) spec;
    if (rabbit.connection() instanceof RabbitMqConnection.Url url) {
      AmqpConnector connector = shared.computeIfAbsent(new ConnectorKey(url), () -> AmqpConnector.owning(url));
      return new RabbitMqBusTransport(rabbit, connector, url.recoveryInterval(),
          url.connectionTimeout().plus(Duration.ofSeconds(1)));
    }
    RabbitMqConnection.Injected injected = (RabbitMqConnection.Injected) rabbit.connection();
    return new RabbitMqBusTransport(rabbit, AmqpConnector.borrowing(injected.connection()),
        RabbitMqConnection.DEFAULT_RECOVERY_INTERVAL, RabbitMqConnection.DEFAULT_CONNECTION_TIMEOUT);
  }
}
