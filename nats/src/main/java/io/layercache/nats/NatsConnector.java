package io.layercache.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bus's NATS connection: the application's (used, never drained or closed) or one made here
 * from {@link NatsConnectionSpec}, which reconnects forever and is closed with the bus.
 *
 * <p>A connection made here is opened on a thread of its own: a server that is down when the
 * cache manager starts must not block the application's start, and the bus starts working as
 * soon as the server answers. Connection events reach the transport through {@link Events}.
 */
final class NatsConnector implements ConnectionListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NatsConnector.class);

  /** What the transport learns of the connection's life. */
  interface Events {
    /** The connection is up for the first time (a connection made here that was not up at once). */
    void connected(Connection connection);

    /** The connection was lost, is back, and its core subscriptions were sent to the server again. */
    void resubscribed(Connection connection, String server);
  }

  private final NatsConnectionSpec spec;
  private final String bus;
  private final CountDownLatch up = new CountDownLatch(1);
  private volatile @Nullable Connection connection;
  /** The connection being made here, known from its first event even before it is up (to close it). */
  private volatile @Nullable Connection connecting;
  private volatile @Nullable Events events;
  private volatile boolean closed;
  /** Since when the connection is down (System.nanoTime()), 0 while up: one WARN per outage, not per attempt. */
  private volatile long downSince;
  /** The server's last error (e.g. "Authorization Violation"), for the health detail. */
  private volatile @Nullable String lastError;
  /** Why the connection was given up (the client stops after repeated authentication errors). */
  private volatile @Nullable String gaveUp;
  private @Nullable Thread opener;

  private NatsConnector(NatsConnectionSpec spec, String bus) {
    this.spec = spec;
    this.bus = bus;
  }

  /**
   * Uses the application's connection, or starts making one.
   *
   * @param bus the bus's description, for logs
   */
  static NatsConnector open(NatsConnectionSpec spec, String bus) {
    NatsConnector connector = new NatsConnector(spec, bus);
    if (spec.injected() != null) {
      Connection injected = spec.injected();
      injected.addConnectionListener(connector);
      connector.connection = injected;
      connector.up.countDown();
    } else {
      connector.startOpening();
    }
    return connector;
  }

  /** Receives the connection's events from now on. */
  void listen(Events listener) {
    this.events = listener;
  }

  /** The connection once it was up at least once (it may be reconnecting now), else null. */
  @Nullable Connection current() {
    return connection;
  }

  /**
   * The connection, connected now.
   *
   * @throws IllegalStateException when it is not (the hub retries the message)
   */
  Connection connected() {
    Connection c = connection;
    if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
      throw new IllegalStateException("not connected to NATS (" + (c == null ? "connecting" : c.getStatus()) + ")");
    }
    return c;
  }

  /** True when the connection is up now. */
  boolean isConnected() {
    Connection c = connection;
    return c != null && c.getStatus() == Connection.Status.CONNECTED;
  }

  /** What the connection is doing, for health details. */
  String status() {
    Connection c = connection;
    if (c != null) {
      return c.getStatus().toString().toLowerCase(java.util.Locale.ROOT);
    }
    if (gaveUp != null) {
      return "gave up connecting to " + spec.describe() + ": " + gaveUp;
    }
    return "connecting to " + spec.describe() + (lastError == null ? "" : " (last error: " + lastError + ")");
  }

  /** Waits up to {@code timeout} for the first connection; false when it is not up yet. */
  boolean awaitUp(Duration timeout) {
    try {
      return up.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void startOpening() {
    Options options = options();
    opener = new Thread(() -> {
      try {
        Connection opened = Nats.connectReconnectOnConnect(options);
        if (closed) {
          opened.close();
          return;
        }
        if (opened.getStatus() == Connection.Status.CLOSED) {
          throw new IOException("the client closed the connection");
        }
        connection = opened;
        up.countDown();
        LOG.info("bus={} connected to NATS {}", bus, NatsConnectionSpec.masked(opened.getConnectedUrl()));
        Events listener = events;
        if (listener != null) {
          listener.connected(opened);
        }
      } catch (IOException | RuntimeException e) {
        gaveUp = lastError != null ? lastError : e.toString();
        LOG.error("bus={} gave up connecting to NATS {}: {}", bus, spec.describe(), gaveUp);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "layercache-nats-connect");
    opener.setDaemon(true);
    opener.start();
  }

  private Options options() {
    Options.Builder builder = new Options.Builder()
        .servers(spec.servers().toArray(String[]::new))
        .connectionName(spec.name() == null ? "layercache" : spec.name())
        .connectionTimeout(spec.connectTimeout())
        .reconnectWait(spec.reconnectWait())
        .maxReconnects(-1)
        .connectionListener(this)
        .errorListener(new LoggingErrorListener());
    if (spec.token() != null) {
      builder.token(spec.token().toCharArray());
    }
    if (spec.username() != null) {
      builder.userInfo(spec.username().toCharArray(), spec.password().toCharArray());
    }
    return builder.build();
  }

  @Override
  public void connectionEvent(Connection conn, ConnectionListener.Events type, Long time, String uriDetails) {
    if (connecting == null) {
      connecting = conn;
    }
    Events listener = events;
    switch (type) {
      case DISCONNECTED -> {
        if (downSince == 0 && connection != null) {
          downSince = System.nanoTime();
          LOG.warn("bus={} disconnected from NATS; reconnecting every {}", bus, spec.reconnectWait());
        }
      }
      case RECONNECTED -> {
        LOG.info("bus={} reconnected to NATS {} after {} ms", bus, NatsConnectionSpec.masked(uriDetails),
            downSince == 0 ? 0 : (System.nanoTime() - downSince) / 1_000_000);
        downSince = 0;
      }
      case RESUBSCRIBED -> {
        if (listener != null && connection != null) {
          listener.resubscribed(conn, NatsConnectionSpec.masked(uriDetails));
        }
      }
      case CLOSED -> LOG.info("bus={} NATS connection closed", bus);
      default -> LOG.debug("bus={} NATS {}", bus, type);
    }
  }

  @Override
  @Deprecated
  public void connectionEvent(Connection conn, ConnectionListener.Events type) {
    connectionEvent(conn, type, System.currentTimeMillis(), "");
  }

  /** Closes a connection made here; detaches from the application's (never closes it). */
  @Override
  public void close() {
    closed = true;
    if (spec.injected() != null) {
      spec.injected().removeConnectionListener(this);
      return;
    }
    Connection c = connection != null ? connection : connecting;
    if (c != null) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (opener != null) {
      opener.interrupt();
    }
  }

  /** Logs what the NATS client reports, naming the bus; keeps the last server error for the health detail. */
  private final class LoggingErrorListener implements ErrorListener {
    @Override
    public void errorOccurred(Connection conn, String error) {
      lastError = error;
      LOG.warn("bus={} NATS error: {}", bus, error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      LOG.debug("bus={} NATS connection problem: {}", bus, exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
      LOG.warn("bus={} NATS dropped messages for a slow consumer: the other instances' sequence holes make this "
          + "instance repair its memory layers", bus);
    }
  }
}
