package io.layercache.rabbitmq;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one bus's connection: logs losses, recoveries and the broker's flow control, and tells
 * the transport while amqp-client is recovering (so it does not declare or consume beside the
 * recovery) and when it finished (so it checks the consumer came back).
 *
 * <p>The listeners are added to the connection once and removed on {@link #detach}: an injected
 * connection outlives the bus.
 */
final class ConnectionWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);

  private final String bus;
  private final Duration retryEvery;
  private final Runnable recovered;
  private final AtomicLong recoveries = new AtomicLong();
  private volatile boolean recovering;
  private Connection connection;
  private ShutdownListener shutdownListener;
  private RecoveryListener recoveryListener;
  private BlockedListener blockedListener;

  ConnectionWatch(String bus, Duration retryEvery, Runnable recovered) {
    this.bus = bus;
    this.retryEvery = retryEvery;
    this.recovered = recovered;
  }

  /** True between the start and the end of amqp-client's recovery of the connection. */
  boolean recovering() {
    return recovering;
  }

  /** How many recoveries started: a publisher compares it before and after waiting for a confirm. */
  long recoveries() {
    return recoveries.get();
  }

  /** Starts following {@code watched} (once). */
  synchronized void attach(Connection watched) {
    if (connection != null) {
      return;
    }
    connection = watched;
    shutdownListener = cause -> {
      if (!cause.isInitiatedByApplication()) {
        LOG.warn("bus={} connection lost ({}); reconnecting every {}", bus, cause.getMessage(), retryEvery);
      }
    };
    watched.addShutdownListener(shutdownListener);
    blockedListener = watched.addBlockedListener(
        reason -> LOG.warn("bus={} the broker blocks publishing ({}): publishes wait, then fail and are retried", bus,
            reason),
        () -> LOG.info("bus={} the broker accepts publishing again", bus));
    if (watched instanceof Recoverable recoverable) {
      recoveryListener = new RecoveryListener() {
        @Override
        public void handleRecoveryStarted(Recoverable r) {
          recoveries.incrementAndGet();
          recovering = true;
        }

        @Override
        public void handleRecovery(Recoverable r) {
          recovering = false;
          LOG.info("bus={} connection recovered", bus);
          recovered.run();
        }
      };
      recoverable.addRecoveryListener(recoveryListener);
    } else {
      LOG.warn("bus={} the connection does not recover by itself (amqp-client's automatic recovery is off): the bus "
          + "stays down once it is lost", bus);
    }
  }

  /** Removes the listeners. */
  synchronized void detach() {
    if (connection == null) {
      return;
    }
    connection.removeShutdownListener(shutdownListener);
    connection.removeBlockedListener(blockedListener);
    if (connection instanceof Recoverable recoverable && recoveryListener != null) {
      recoverable.removeRecoveryListener(recoveryListener);
    }
    connection = null;
  }
}
