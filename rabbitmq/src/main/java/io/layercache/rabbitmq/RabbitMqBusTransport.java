package io.layercache.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.layercache.bus.BusListener;
import io.layercache.bus.BusTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus over RabbitMQ: publishes to the exchange with publisher confirms and
 * consumes this instance's queue with manual acknowledgements.
 *
 * <ul>
 *   <li>{@link #publishAll} returns once the broker confirmed every message of the batch (for a
 *       persistent message to a durable queue: once it is on disk; one wait for the whole batch),
 *       and throws when it refused it, the confirm did not
 *       come within {@code publish-timeout}, or the connection is down; the hub then retries.
 *   <li>A setup loop (every {@code recovery-interval}) connects when the broker was unreachable at
 *       start, and declares exchange, queue and binding and starts consuming whenever that is not
 *       in place outside amqp-client's own recovery (first start, a deleted queue, a channel the
 *       broker closed).
 *   <li>At most once (server-named exclusive queue): every time consuming starts again after it
 *       had stopped, or first starts after {@link #subscribe} returned, messages may have been
 *       missed, so the hub is told ({@link BusListener#onInterrupted}). Durable (named durable
 *       queue): the queue kept them, so only a deleted queue is reported.
 * </ul>
 */
final class RabbitMqBusTransport implements BusTransport, BusConsumer.Events {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqBusTransport.class);

  private final RabbitMqBusSpec spec;
  private final AmqpConnector connector;
  private final String description;
  private final AMQP.BasicProperties properties;
  private final Duration setupInterval;
  private final Duration subscribeWait;
  private final ConnectionWatch watch;
  private final ScheduledExecutorService setup;
  private final CountDownLatch consuming = new CountDownLatch(1);
  private volatile Channel publishChannel;
  private volatile Channel consumeChannel;
  private volatile BusConsumer consumer;
  private volatile String setupError;
  private volatile boolean closed;
  /** Guards the three flags below, which amqp-client's consumer thread reads and writes too. */
  private final Object state = new Object();
  private boolean consumedBefore;
  private boolean subscribeReturned;
  private boolean queueLost;

  RabbitMqBusTransport(RabbitMqBusSpec spec, AmqpConnector connector, Duration setupInterval, Duration subscribeWait) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.connector = connector;
    this.description = describe(spec);
    this.properties = new AMQP.BasicProperties.Builder().contentType("application/octet-stream").appId("layercache")
        .deliveryMode(spec.persistentEffective() ? 2 : 1).build();
    this.setupInterval = setupInterval;
    this.subscribeWait = subscribeWait;
    this.watch = new ConnectionWatch(description, setupInterval, this::setupSoon);
    this.setup = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "layercache-bus-rabbitmq-setup");
      thread.setDaemon(true);
      return thread;
    });
    setup.scheduleWithFixedDelay(this::setUp, 0, setupInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String describe(RabbitMqBusSpec spec) {
    String routing = spec.exchangeType() == RabbitMqBusSpec.ExchangeType.FANOUT ? "fanout"
        : spec.exchangeType().amqpName() + " key " + spec.routingKey();
    String queue = spec.queueName() == null ? "server-named" : spec.queueName();
    String kind = spec.delivery() == Delivery.DURABLE ? "durable queue " : "queue ";
    return "rabbitmq exchange " + spec.exchange() + " (" + routing + ", " + kind + queue + ")";
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Delivery delivery() {
    return spec.delivery();
  }

  @Override
  public Health health() {
    Connection connection = connector.current();
    if (connection == null) {
      return new Health(false, "connecting to " + connector.target() + " (" + connector.lastError() + ")");
    }
    if (!connection.isOpen() || watch.recovering()) {
      return new Health(false, "connection lost");
    }
    Channel channel = publishChannel;
    if (channel == null || !channel.isOpen()) {
      return new Health(false, "no channel (" + setupError + ")");
    }
    BusConsumer current = consumer;
    if (current == null) {
      return new Health(true, "publish only");
    }
    return current.active() ? new Health(true, "consuming")
        : new Health(false, "not consuming" + (setupError == null ? "" : " (" + setupError + ")"));
  }

  @Override
  public void publish(byte[] message) throws Exception {
    publishAll(List.of(message));
  }

  /** Publishes the batch, then waits once for the broker's confirms of all of it. */
  @Override
  public void publishAll(List<byte[]> messages) throws Exception {
    Channel channel = publishChannel;
    if (channel == null || !channel.isOpen()) {
      setUp(); // the hub's first heartbeat may come before the setup loop's first round finished
      channel = publishChannel;
    }
    if (channel == null || !channel.isOpen()) {
      throw new IOException("bus=" + description + " cannot publish: " + health().detail());
    }
    long recoveries = watch.recoveries();
    for (byte[] message : messages) {
      channel.basicPublish(spec.exchange(), spec.routingKey(), false, properties, message);
    }
    if (!channel.waitForConfirms(spec.publishTimeout().toMillis())) {
      throw new IOException("bus=" + description + " the broker refused a message (nack)");
    }
    if (watch.recoveries() != recoveries) {
      // The confirm awaited belonged to the channel before the reconnect: it proves nothing.
      throw new IOException("bus=" + description + " the connection was recovered before the confirm came");
    }
  }

  @Override
  public void subscribe(BusListener listener) {
    consumer = new BusConsumer(listener, this, description);
    setupSoon();
    try {
      if (!consuming.await(subscribeWait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("bus={} not consuming after {} ms ({}); going on, it keeps trying every {}", description,
            subscribeWait.toMillis(), health().detail(), setupInterval);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (state) {
      subscribeReturned = true;
    }
  }

  private void setupSoon() {
    if (!closed) {
      setup.execute(this::setUp);
    }
  }

  /** Puts in place what is missing: the connection, the publish channel, the consumer. */
  private synchronized void setUp() {
    if (closed) {
      return;
    }
    Connection connection = connector.connection();
    if (connection == null) {
      return;
    }
    watch.attach(connection);
    if (!connection.isOpen() || watch.recovering()) {
      return; // amqp-client's recovery restores channels, queue, binding and consumer
    }
    try {
      if (publishChannel == null || !publishChannel.isOpen()) {
        publishChannel = openPublishChannel(connection);
      }
      BusConsumer current = consumer;
      if (current != null && !current.active()) {
        startConsuming(connection, current);
      }
      if (setupError != null) {
        LOG.info("bus={} set up again", description);
        setupError = null;
      }
    } catch (IOException | RuntimeException e) {
      String error = e.getCause() != null ? e.getCause().toString() : e.toString();
      if (!error.equals(setupError)) {
        LOG.warn("bus={} cannot declare or consume ({}); trying again every {}", description, error, setupInterval);
      }
      setupError = error;
    }
  }

  private Channel openPublishChannel(Connection connection) throws IOException {
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    declareExchange(channel);
    return channel;
  }

  private void declareExchange(Channel channel) throws IOException {
    channel.exchangeDeclare(spec.exchange(), spec.exchangeType().amqpName(), spec.durableEffective(), false, null);
  }

  private void startConsuming(Connection connection, BusConsumer current) throws IOException {
    Channel channel = consumeChannel;
    if (channel == null || !channel.isOpen()) {
      channel = connection.createChannel();
      consumeChannel = channel;
    }
    channel.basicQos(spec.prefetch());
    declareExchange(channel);
    AMQP.Queue.DeclareOk queue = channel.queueDeclare(spec.queueName() == null ? "" : spec.queueName(),
        spec.durableEffective(), spec.exclusiveEffective(), spec.autoDeleteEffective(), null);
    if (queue.getConsumerCount() > 0) {
      LOG.warn("bus={} queue {} already has {} consumer(s): instances must not share a queue-name, each would get "
          + "only part of the messages", description, queue.getQueue(), queue.getConsumerCount());
    }
    channel.queueBind(queue.getQueue(), spec.exchange(), spec.routingKey());
    current.useChannel(channel);
    current.registered(channel.basicConsume(queue.getQueue(), false, current));
  }

  @Override
  public void consuming(String consumerTag) {
    String missed = null;
    synchronized (state) {
      boolean late = !consumedBefore && subscribeReturned;
      if (consumedBefore || late) {
        if (queueLost) {
          missed = "the queue was deleted and declared again";
        } else if (spec.delivery() == Delivery.AT_MOST_ONCE) {
          missed = late ? "consuming started late" : "consuming again after the connection or channel was lost";
        }
      }
      consumedBefore = true;
      queueLost = false;
    }
    LOG.info("bus={} consuming{}", description, missed == null ? "" : " (" + missed + ")");
    consuming.countDown();
    BusConsumer current = consumer;
    if (missed != null && current != null) {
      current.interrupted(missed);
    }
  }

  @Override
  public void cancelledByBroker() {
    synchronized (state) {
      queueLost = true;
    }
    setupSoon();
  }

  /** Stops consuming (unacknowledged messages go back to the queue) and closes this bus's channels. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    setup.shutdownNow();
    BusConsumer current = consumer;
    Channel channel = consumeChannel;
    if (current != null && channel != null && current.consumerTag() != null) {
      quietly(() -> channel.basicCancel(current.consumerTag()));
    }
    quietly(() -> closeChannel(consumeChannel));
    quietly(() -> closeChannel(publishChannel));
    watch.detach();
  }

  private static void closeChannel(Channel channel) throws Exception {
    if (channel != null && channel.isOpen()) {
      channel.close();
    }
  }

  private void quietly(ThrowingRunnable action) {
    try {
      action.run();
    } catch (Exception e) {
      LOG.debug("bus={} close: {}", description, e.toString());
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
