package io.layercache.rabbitmq;

import io.layercache.bus.BusSpec;
import io.layercache.bus.BusTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The RabbitMQ transport of the invalidation bus: every instance publishes to one exchange and
 * reads from a queue of its own bound to it.
 *
 * <p>Two deliveries, chosen by one switch:
 * <ul>
 *   <li>{@code durableInvalidationMode = false} (the default): a server-named, exclusive queue that
 *       lives as long as the connection. At most once: what is published while the connection is
 *       down is lost, and the hub repairs the memory layers when the subscription is back.
 *   <li>{@code durableInvalidationMode = true}: a durable exchange, a named durable queue per
 *       instance ({@code queueName}) that is neither exclusive nor auto-deleted, and persistent
 *       messages. The queue keeps what is published while its instance, its connection or the
 *       broker is down, and delivers it afterwards; a message is acknowledged only once applied.
 * </ul>
 * {@code durable}, {@code persistent}, {@code exclusiveQueue} and {@code autoDeleteQueue} are null
 * to follow the switch; set, they override it where they do not contradict durable mode.
 *
 * @param connection              the broker, by URL or as an injected connection
 * @param exchange                the exchange every instance shares
 * @param exchangeType            fanout (every queue gets every message), or topic/direct to route
 *                                by {@code routingKey}
 * @param routingKey              the key messages are published and the queue is bound with;
 *                                empty for fanout
 * @param durableInvalidationMode the one switch for durable delivery (above)
 * @param durable                 exchange and queue survive a broker restart; null: the switch
 * @param persistent              messages are written to disk; null: follows {@code durable}
 * @param queueName               this instance's queue; null: server-named
 * @param exclusiveQueue          the queue belongs to the connection and goes with it; null: not in
 *                                durable mode
 * @param autoDeleteQueue         the queue is deleted when its consumer leaves; null: not in
 *                                durable mode
 * @param prefetch                most unacknowledged messages the broker sends this instance at
 *                                once; 0 for no limit
 * @param publishTimeout          longest wait for the broker's confirm of one published message
 */
public record RabbitMqBusSpec(RabbitMqConnection connection, String exchange, ExchangeType exchangeType,
    String routingKey, boolean durableInvalidationMode, Boolean durable, Boolean persistent, String queueName,
    Boolean exclusiveQueue, Boolean autoDeleteQueue, int prefetch, Duration publishTimeout) implements BusSpec {

  /** The type name, as in {@code bus.type}. */
  public static final String TYPE = "rabbitmq";

  /** The default exchange. */
  public static final String DEFAULT_EXCHANGE = "layercache.invalidations";

  /** The default prefetch. */
  public static final int DEFAULT_PREFETCH = 100;

  /** The default publish timeout. */
  public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  /** Names RabbitMQ accepts for exchanges and queues, without the reserved {@code amq.} prefix. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,255}");

  /** The AMQP exchange types the bus works with. */
  public enum ExchangeType {
    /** Every bound queue gets every message; the routing key is not used. */
    FANOUT,
    /** Queues get the messages whose routing key matches their binding (here: the same key). */
    TOPIC,
    /** Queues get the messages whose routing key equals their binding key. */
    DIRECT;

    /** The name in AMQP and in {@code bus.rabbitmq.exchange-type}. */
    public String amqpName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bus.rabbitmq.exchange-type}. */
    static ExchangeType parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bus.rabbitmq.exchange-type must be fanout, topic or direct, was '"
            + value + "'");
      }
    }
  }

  /** Validates the spec; every message names the setting. */
  public RabbitMqBusSpec {
    Objects.requireNonNull(connection, "bus.rabbitmq connection");
    Objects.requireNonNull(exchangeType, "bus.rabbitmq.exchange-type");
    routingKey = routingKey == null ? "" : routingKey;
    requireName(exchange, "exchange");
    if (queueName != null) {
      requireName(queueName, "queue-name");
    }
    checkRoutingKey(exchangeType, routingKey);
    if (durableInvalidationMode) {
      checkDurableMode(queueName, durable, persistent, exclusiveQueue, autoDeleteQueue);
    }
    if (queueName == null && Boolean.FALSE.equals(exclusiveQueue) && Boolean.FALSE.equals(autoDeleteQueue)) {
      throw new IllegalArgumentException("bus.rabbitmq.exclusive-queue = false with auto-delete-queue = false needs a "
          + "queue-name: a server-named queue that outlives its connection would be left behind at every restart");
    }
    if (prefetch < 0 || prefetch > 65_535) {
      throw new IllegalArgumentException("bus.rabbitmq.prefetch must be 0 (no limit) to 65535, was " + prefetch);
    }
    if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
      throw new IllegalArgumentException("bus.rabbitmq.publish-timeout must be positive, was " + publishTimeout);
    }
  }

  /** At-most-once delivery on {@code exchange} (fanout, server-named exclusive queue) with the defaults. */
  public static RabbitMqBusSpec of(RabbitMqConnection connection, String exchange) {
    return new RabbitMqBusSpec(connection, exchange, ExchangeType.FANOUT, "", false, null, null, null, null, null,
        DEFAULT_PREFETCH, DEFAULT_PUBLISH_TIMEOUT);
  }

  /** The same bus reached through {@code newConnection}. */
  public RabbitMqBusSpec withConnection(RabbitMqConnection newConnection) {
    return new RabbitMqBusSpec(newConnection, exchange, exchangeType, routingKey, durableInvalidationMode, durable,
        persistent, queueName, exclusiveQueue, autoDeleteQueue, prefetch, publishTimeout);
  }

  /** The same bus in durable mode, reading from this instance's own durable queue {@code queueName}. */
  public RabbitMqBusSpec durableMode(String queueName) {
    return new RabbitMqBusSpec(connection, exchange, exchangeType, routingKey, true, durable, persistent, queueName,
        exclusiveQueue, autoDeleteQueue, prefetch, publishTimeout);
  }

  /** The same bus routing by {@code routingKey} on a topic or direct exchange. */
  public RabbitMqBusSpec withRouting(ExchangeType type, String key) {
    return new RabbitMqBusSpec(connection, exchange, type, key, durableInvalidationMode, durable, persistent, queueName,
        exclusiveQueue, autoDeleteQueue, prefetch, publishTimeout);
  }

  /** The same bus with the durability settings overridden (null: follow the switch). */
  public RabbitMqBusSpec withDurability(Boolean durable, Boolean persistent) {
    return new RabbitMqBusSpec(connection, exchange, exchangeType, routingKey, durableInvalidationMode, durable,
        persistent, queueName, exclusiveQueue, autoDeleteQueue, prefetch, publishTimeout);
  }

  /** The same bus with the queue settings overridden (null: server-named, or follow the switch). */
  public RabbitMqBusSpec withQueue(String name, Boolean exclusive, Boolean autoDelete) {
    return new RabbitMqBusSpec(connection, exchange, exchangeType, routingKey, durableInvalidationMode, durable,
        persistent, name, exclusive, autoDelete, prefetch, publishTimeout);
  }

  /** The same bus with another prefetch and publish timeout. */
  public RabbitMqBusSpec withFlow(int newPrefetch, Duration newPublishTimeout) {
    return new RabbitMqBusSpec(connection, exchange, exchangeType, routingKey, durableInvalidationMode, durable,
        persistent, queueName, exclusiveQueue, autoDeleteQueue, newPrefetch, newPublishTimeout);
  }

  /** Whether the exchange and the queue are declared durable. */
  public boolean durableEffective() {
    return durable != null ? durable : durableInvalidationMode;
  }

  /** Whether messages are published persistent (delivery mode 2). */
  public boolean persistentEffective() {
    return persistent != null ? persistent : durableEffective();
  }

  /** Whether the queue is exclusive to its connection. */
  public boolean exclusiveEffective() {
    return exclusiveQueue != null ? exclusiveQueue : !durableInvalidationMode;
  }

  /** Whether the queue is deleted when its last consumer leaves. */
  public boolean autoDeleteEffective() {
    return autoDeleteQueue != null ? autoDeleteQueue : !durableInvalidationMode;
  }

  /**
   * What the transport delivers: durable only when nothing on the way forgets a message (a named
   * queue outliving its connection, durable exchange and queue, persistent messages).
   */
  public BusTransport.Delivery delivery() {
    boolean keeps = queueName != null && !exclusiveEffective() && !autoDeleteEffective();
    return keeps && durableEffective() && persistentEffective()
        ? BusTransport.Delivery.DURABLE : BusTransport.Delivery.AT_MOST_ONCE;
  }

  @Override
  public String type() {
    return TYPE;
  }

  private static void requireName(String name, String setting) {
    if (name == null || !NAME.matcher(name).matches() || name.startsWith("amq.")) {
      throw new IllegalArgumentException("bus.rabbitmq." + setting + " must be 1 to 255 letters, digits, '.', '_', "
          + "':' or '-', not starting with the reserved 'amq.', was '" + name + "'");
    }
  }

  private static void checkRoutingKey(ExchangeType type, String key) {
    if (type == ExchangeType.FANOUT) {
      if (!key.isEmpty()) {
        throw new IllegalArgumentException("bus.rabbitmq.routing-key is not used by a fanout exchange; set "
            + "exchange-type = topic or direct to route by it, or leave it empty");
      }
      return;
    }
    if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("bus.rabbitmq.routing-key must be 1 to 255 bytes with exchange-type = "
          + type.amqpName() + ", was '" + key + "'");
    }
    if (type == ExchangeType.TOPIC && (key.contains("*") || key.contains("#"))) {
      throw new IllegalArgumentException("bus.rabbitmq.routing-key is also the key messages are published with, so it "
          + "cannot hold the wildcards * or #, was '" + key + "'");
    }
  }

  private static void checkDurableMode(String queueName, Boolean durable, Boolean persistent, Boolean exclusive,
      Boolean autoDelete) {
    if (queueName == null) {
      throw new IllegalArgumentException("bus.rabbitmq.durable-invalidation-mode = true needs a queue-name, stable "
          + "and different for every instance (e.g. ${?INSTANCE_ID}\"-cache\"): the queue keeps what the instance "
          + "misses while it is away");
    }
    contradiction(Boolean.FALSE.equals(durable), "durable = false", "a non-durable queue is lost with the broker");
    contradiction(Boolean.FALSE.equals(persistent), "persistent = false",
        "transient messages are lost with the broker");
    contradiction(Boolean.TRUE.equals(exclusive), "exclusive-queue = true",
        "an exclusive queue is deleted with its connection");
    contradiction(Boolean.TRUE.equals(autoDelete), "auto-delete-queue = true",
        "an auto-delete queue is deleted when its instance stops");
  }

  private static void contradiction(boolean present, String setting, String why) {
    if (present) {
      throw new IllegalArgumentException("bus.rabbitmq." + setting + " contradicts durable-invalidation-mode = true: "
          + why);
    }
  }
}
