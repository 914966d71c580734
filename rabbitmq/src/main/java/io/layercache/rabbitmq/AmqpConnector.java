package io.layercache.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP connection a RabbitMQ bus uses: made from a URL (one per cache manager and URL, shared
 * by its buses, closed with the manager) or borrowed from the application (never closed here).
 *
 * <p>amqp-client's automatic recovery restores a connection once it was made; this class covers
 * the time before: while the broker cannot be reached at start, each {@link #connection()} call
 * (the transports' setup loop, every {@code recovery-interval}) tries once more.
 */
final class AmqpConnector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AmqpConnector.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final RabbitMqConnection.Url url;
  private final boolean owned;
  private volatile Connection connection;
  private volatile String lastError = "not connected yet";
  private boolean failureLogged;
  private boolean closed;

  private AmqpConnector(RabbitMqConnection.Url url, Connection connection) {
    this.url = url;
    this.owned = connection == null;
    this.connection = connection;
  }

  /** A connector that connects to {@code url} on first use and owns the connection. */
  static AmqpConnector owning(RabbitMqConnection.Url url) {
    return new AmqpConnector(url, null);
  }

  /** A connector lending the application's {@code connection}, which it never closes. */
  static AmqpConnector borrowing(Connection connection) {
    return new AmqpConnector(null, connection);
  }

  /** Where the connection goes, for logs (never the password). */
  String target() {
    return owned ? url.masked() : "an injected connection";
  }

  /** Why there is no connection, for health details. */
  String lastError() {
    return lastError;
  }

  /**
   * The connection, connecting first when none was made yet (one attempt, at most
   * {@code connection-timeout}); null when the broker cannot be reached now.
   */
  synchronized Connection connection() {
    if (connection != null || closed) {
      return connection;
    }
    try {
      connection = factory().newConnection("layercache bus");
      LOG.info("bus=rabbitmq connected to {}", url.masked());
      failureLogged = false;
    } catch (Exception e) {
      lastError = e.toString();
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn("bus=rabbitmq cannot connect to {} ({}); trying again every {}", url.masked(), e.toString(),
            url.recoveryInterval());
      }
    }
    return connection;
  }

  /** The connection if one was made, without trying to connect. */
  Connection current() {
    return connection;
  }

  private ConnectionFactory factory() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(url.url());
    if (url.tls()) {
      // setUri's amqps default trusts every certificate: check against the JVM's trusted CAs instead.
      factory.useSslProtocol(SSLContext.getDefault());
      factory.enableHostnameVerification();
    }
    factory.setConnectionTimeout(Math.toIntExact(url.connectionTimeout().toMillis()));
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(url.recoveryInterval().toMillis());
    factory.setThreadFactory(daemonThreads());
    return factory;
  }

  /** amqp-client's threads must not keep an application's JVM alive. */
  private static ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "layercache-bus-rabbitmq-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Closes an owned connection (stopping its recovery); never a borrowed one. */
  @Override
  public synchronized void close() {
    closed = true;
    Connection made = connection;
    if (!owned || made == null) {
      return;
    }
    try {
      made.close(2_000);
    } catch (Exception e) {
      LOG.debug("bus=rabbitmq closing the connection to {} failed", url.masked(), e);
      made.abort();
    }
  }
}
