package io.layercache.nats;

import io.layercache.bus.BusListener;
import io.layercache.bus.BusTransport;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus over core NATS publish/subscribe. At most once: what is published while
 * this instance is disconnected is lost, so every reconnection (the client resubscribes) is
 * reported as an interruption and the hub empties the memory layers.
 *
 * <p>A publish returns once the server has read the message: the client sends a PING after it
 * and waits for the PONG, so a message sitting in the client's reconnect buffer is never counted
 * as sent (the hub keeps it in its retry queue instead).
 */
final class NatsCoreTransport implements BusTransport, NatsConnector.Events {

  private static final Logger LOG = LoggerFactory.getLogger(NatsCoreTransport.class);

  private final NatsConnector connector;
  private final String subject;
  private final Duration timeout;
  private final String description;
  private volatile @Nullable BusListener listener;
  private @Nullable Dispatcher dispatcher;

  NatsCoreTransport(NatsConnectionSpec connection, String subject, Duration timeout) {
    this.subject = subject;
    this.timeout = timeout;
    this.description = "nats core subject " + subject + " on " + connection.describe();
    this.connector = NatsConnector.open(connection, description);
    connector.listen(this);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Delivery delivery() {
    return Delivery.AT_MOST_ONCE;
  }

  @Override
  public Health health() {
    boolean connected = connector.isConnected();
    if (listener == null) {
      return new Health(connected, connected ? "connected, publish only" : connector.status());
    }
    boolean subscribed = connected && hasDispatcher();
    return new Health(subscribed, subscribed ? "subscribed to " + subject : "not subscribed: " + connector.status());
  }

  private synchronized boolean hasDispatcher() {
    return dispatcher != null;
  }

  @Override
  public void publish(byte[] message) throws IOException {
    Connection connection = connector.connected();
    connection.publish(subject, message);
    connection.RTT(); // the PONG after the message: the server has read it
  }

  @Override
  public void subscribe(BusListener newListener) {
    this.listener = newListener;
    if (connector.awaitUp(timeout)) {
      startSubscription(connector.current(), true);
    } else {
      LOG.warn("bus={} not connected after {} ms; going on, it subscribes once connected", description,
          timeout.toMillis());
    }
  }

  /** Subscribes once; {@code confirm}: waits until the server has the subscription. */
  private void startSubscription(@Nullable Connection connection, boolean confirm) {
    BusListener target = listener;
    if (connection == null || target == null) {
      return;
    }
    synchronized (this) {
      if (dispatcher != null) {
        return;
      }
      try {
        dispatcher = connection.createDispatcher(message -> target.onMessage(message.getData()));
        dispatcher.subscribe(subject);
      } catch (IllegalStateException e) { // the connection was closed meanwhile
        LOG.warn("bus={} cannot subscribe: {}", description, e.getMessage());
        dispatcher = null;
        return;
      }
    }
    if (confirm) {
      try {
        connection.flush(timeout);
      } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
        LOG.warn("bus={} subscription not confirmed within {} ms ({})", description, timeout.toMillis(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("bus={} subscribed", description);
  }

  @Override
  public void connected(Connection connection) {
    startSubscription(connection, false);
  }

  @Override
  public void resubscribed(Connection connection, String server) {
    BusListener target = listener;
    if (target != null && hasDispatcher()) {
      target.onInterrupted("reconnected to NATS " + server + " and resubscribed to " + subject);
    }
  }

  @Override
  public void close() {
    Dispatcher subscribed;
    synchronized (this) {
      subscribed = dispatcher;
      dispatcher = null;
    }
    Connection connection = connector.current();
    if (subscribed != null && connection != null) {
      try {
        connection.closeDispatcher(subscribed);
      } catch (RuntimeException e) {
        LOG.debug("bus={} unsubscribe failed on close", description, e);
      }
    }
    connector.close();
  }
}
