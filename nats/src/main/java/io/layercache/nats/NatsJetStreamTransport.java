package io.layercache.nats;

import io.layercache.bus.BusListener;
import io.layercache.bus.BusTransport;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus over JetStream: durable. Messages are published into a stream (the
 * server's acknowledgement means stored), and each instance reads them through its own durable
 * push consumer, acknowledging each one after the hub applied it. A disconnected or restarted
 * instance resumes from its last acknowledgement; an unacknowledged message is delivered again
 * after {@code ack-wait}, at most {@code max-deliver} times (then counted as given up).
 *
 * <p>A supervisor checks the stream and the consumer every {@value #SUPERVISE_MILLIS} ms and after
 * every reconnection, and creates what is missing. Only when what the server kept was lost (a
 * restart with memory storage, a deleted stream or consumer) does it report an interruption, so
 * the hub repairs; a reconnection alone loses nothing here.
 */
final class NatsJetStreamTransport implements BusTransport, NatsConnector.Events {

  private static final Logger LOG = LoggerFactory.getLogger(NatsJetStreamTransport.class);
  static final long SUPERVISE_MILLIS = 2_000;

  private final NatsBusSpec spec;
  private final JetStreamSpec js;
  private final NatsConnector connector;
  private final JetStreamSetup setup;
  private final JetStreamOptions options;
  private final PublishOptions publishOptions;
  private final String description;
  private final AtomicLong givenUp = new AtomicLong();
  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "layercache-nats-supervisor");
    thread.setDaemon(true);
    return thread;
  });
  private volatile @Nullable BusListener listener;
  private volatile @Nullable String problem;
  private volatile @Nullable JetStreamSubscription subscription;
  private @Nullable Dispatcher dispatcher;
  private boolean subscribedOnce;
  private boolean closed;

  NatsJetStreamTransport(NatsBusSpec spec) {
    this.spec = spec;
    this.js = spec.jetStream();
    this.description = "nats jetstream stream " + js.stream() + " subject " + spec.subject() + " consumer "
        + js.durableName() + " on " + spec.connection().describe();
    this.options = JetStreamOptions.builder().requestTimeout(spec.requestTimeout()).build();
    this.publishOptions = PublishOptions.builder().expectedStream(js.stream()).build();
    this.setup = new JetStreamSetup(spec.subject(), js, spec.requestTimeout(), description);
    this.connector = NatsConnector.open(spec.connection(), description);
    connector.listen(this);
    supervisor.scheduleWithFixedDelay(this::supervise, 0, SUPERVISE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Delivery delivery() {
    return Delivery.DURABLE;
  }

  @Override
  public Health health() {
    String trouble = problem;
    String poison = givenUp.get() == 0 ? "" : "; " + givenUp.get() + " messages given up after max-deliver";
    if (!connector.isConnected()) {
      return new Health(false, "not connected: " + connector.status() + poison);
    }
    if (trouble != null) {
      return new Health(false, trouble + poison);
    }
    if (listener == null) {
      return new Health(true, "connected, publish only");
    }
    JetStreamSubscription current = subscription;
    boolean consuming = current != null && current.isActive();
    return new Health(consuming, (consuming ? "consuming stream " + js.stream() + " as durable " + js.durableName()
        : "not consuming yet") + poison);
  }

  /** Messages the server stopped delivering after {@code max-deliver} attempts, since start. */
  long givenUp() {
    return givenUp.get();
  }

  @Override
  public void publish(byte[] message) throws Exception {
    Connection connection = connector.connected();
    try {
      connection.jetStream(options).publish(spec.subject(), message, publishOptions);
    } catch (IOException | JetStreamApiException e) {
      superviseSoon(); // the stream may be gone (a server restarted with memory storage)
      throw e;
    }
  }

  /**
   * Publishes the batch asynchronously, in order on one connection, then waits for the stream's
   * acknowledgements of all of it: one round trip for the batch instead of one per message.
   */
  @Override
  public void publishAll(List<byte[]> messages) throws Exception {
    Connection connection = connector.connected();
    try {
      JetStream stream = connection.jetStream(options);
      List<CompletableFuture<PublishAck>> acks = new ArrayList<>(messages.size());
      for (byte[] message : messages) {
        acks.add(stream.publishAsync(spec.subject(), message, publishOptions));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(spec.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | ExecutionException | TimeoutException e) {
      superviseSoon(); // the stream may be gone (a server restarted with memory storage)
      throw e;
    }
  }

  @Override
  public void subscribe(BusListener newListener) {
    this.listener = newListener;
    if (!connector.awaitUp(spec.requestTimeout())) {
      LOG.warn("bus={} not connected after {} ms; going on, it subscribes once connected", description,
          spec.requestTimeout().toMillis());
      return;
    }
    supervise();
  }

  /**
   * Makes sure the stream, the consumer and the subscription are in place; reports an
   * interruption when the server lost what it kept for this instance.
   */
  private synchronized void supervise() {
    Connection connection = connector.current();
    if (closed || connection == null || !connector.isConnected()) {
      return;
    }
    try {
      boolean lost = setup.ensureStream(connection);
      BusListener target = listener;
      if (target != null) {
        lost |= setup.ensureConsumer(connection);
        JetStreamSubscription current = subscription;
        if (current != null && (lost || !current.isActive())) {
          unsubscribe(current);
        }
        if (subscription == null) {
          bind(connection);
        }
        if (lost && subscribedOnce) {
          target.onInterrupted("stream " + js.stream() + " or consumer " + js.durableName()
              + " was recreated: the messages the server kept are lost");
        }
        subscribedOnce = true;
      }
      if (problem != null) {
        LOG.info("bus={} in order again", description);
        problem = null;
      }
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      if (supervisor.isShutdown()) {
        return; // closing: an interrupted request is no problem to report
      }
      String now = e.getMessage() == null ? e.toString() : e.getMessage();
      if (!now.equals(problem)) {
        LOG.warn("bus={} {}; trying again every {} ms", description, now, SUPERVISE_MILLIS);
      }
      problem = now;
    }
  }

  /** Drops a subscription that is no longer consuming (its consumer was recreated, or it went inactive). */
  private void unsubscribe(JetStreamSubscription current) {
    subscription = null;
    try {
      dispatcher.unsubscribe(current);
    } catch (RuntimeException e) {
      LOG.debug("bus={} unsubscribing a stale subscription failed ({})", description, e.toString());
    }
  }

  private void bind(Connection connection) throws IOException, JetStreamApiException {
    if (dispatcher == null) {
      dispatcher = connection.createDispatcher();
      dispatcher.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + js.stream() + "." + js.durableName(),
          this::onMaxDeliveries);
    }
    subscription = connection.jetStream(options).subscribe(spec.subject(), dispatcher, this::handle, false,
        PushSubscribeOptions.bind(js.stream(), js.durableName()));
    LOG.info("bus={} consuming", description);
  }

  /** Applies one message, then acknowledges it; a listener failure is redelivered up to max-deliver. */
  private void handle(Message message) {
    BusListener target = listener;
    if (target == null || !message.isJetStream()) {
      return;
    }
    try {
      target.onMessage(message.getData());
    } catch (RuntimeException e) {
      long delivered = message.metaData().deliveredCount();
      if (delivered >= js.maxDeliver()) {
        message.term();
        givenUp.incrementAndGet();
        LOG.warn("bus={} gave up on stream message {} after {} deliveries", description,
            message.metaData().streamSequence(), delivered, e);
      } else {
        message.nak();
        LOG.warn("bus={} delivery {} of stream message {} failed; redelivering", description, delivered,
            message.metaData().streamSequence(), e);
      }
      return;
    }
    message.ack();
  }

  /** The server's advisory that it stopped redelivering a message this instance never acknowledged. */
  private void onMaxDeliveries(Message advisory) {
    givenUp.incrementAndGet();
    LOG.warn("bus={} the server gave up on a message after {} unacknowledged deliveries: {}", description,
        js.maxDeliver(), new String(advisory.getData(), StandardCharsets.UTF_8));
  }

  private void superviseSoon() {
    try {
      supervisor.execute(this::supervise);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  @Override
  public void connected(Connection connection) {
    superviseSoon();
  }

  @Override
  public void resubscribed(Connection connection, String server) {
    superviseSoon();
  }

  /**
   * Stops consuming and closes a connection made here; the durable consumer stays on the server
   * for the next start. The subscription is drained, not dropped: messages the server pushed
   * before it saw the unsubscription are still handled and acknowledged, instead of waiting
   * {@code ack-wait} to reach this instance's successor again.
   */
  @Override
  public void close() {
    supervisor.shutdownNow();
    Dispatcher subscribed;
    synchronized (this) {
      closed = true;
      subscribed = dispatcher;
      dispatcher = null;
      subscription = null;
    }
    Connection connection = connector.current();
    if (subscribed != null && connection != null) {
      drain(connection, subscribed);
    }
    connector.close();
  }

  private void drain(Connection connection, Dispatcher subscribed) {
    try {
      if (!subscribed.drain(spec.requestTimeout()).get(spec.requestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        LOG.info("bus={} not drained within {}: messages in flight come again after ack-wait", description,
            spec.requestTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.debug("bus={} drain failed on close ({}); unsubscribing", description, e.toString());
      try {
        connection.closeDispatcher(subscribed);
      } catch (RuntimeException closing) {
        LOG.debug("bus={} unsubscribe failed on close", description, closing);
      }
    }
  }
}
