package io.layercache.rabbitmq;

import com.rabbitmq.client.Connection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the RabbitMQ bus reaches the broker: a URL it connects to itself (one connection per cache
 * manager and URL, closed with the manager), or a connection the application made and keeps
 * owning (never closed by the bus).
 */
public sealed interface RabbitMqConnection permits RabbitMqConnection.Url, RabbitMqConnection.Injected {

  /** The default URL: a broker on this host with RabbitMQ's default user. */
  String DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";

  /** The default longest wait for the TCP connection and the AMQP handshake. */
  Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  /** The default pause between reconnection attempts. */
  Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);

  /** {@code url} with the default timeouts. */
  static Url url(String url) {
    return new Url(url, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_RECOVERY_INTERVAL);
  }

  /** An application's connection: the bus opens its channels on it and never closes it. */
  static Injected injected(Connection connection) {
    return new Injected(connection);
  }

  /**
   * A connection the bus makes and owns, with amqp-client's automatic recovery (connection,
   * channels, exchange, queue, binding and consumer are restored after a broker restart or a
   * network failure).
   *
   * @param url               {@code amqp://user:password@host:port/vhost}, or {@code amqps://} for
   *                          TLS checked against the JVM's trusted certificates and the host name
   * @param connectionTimeout longest wait for the TCP connection and the AMQP handshake
   * @param recoveryInterval  pause between reconnection attempts, the first one included
   */
  record Url(String url, Duration connectionTimeout, Duration recoveryInterval) implements RabbitMqConnection {

    /** Validates the settings; messages name them, never the password. */
    public Url {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException("bus.rabbitmq.url must be set");
      }
      URI uri = parse(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
        throw new IllegalArgumentException("bus.rabbitmq.url must start with amqp:// or amqps://, was '"
            + masked(url) + "'");
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        throw new IllegalArgumentException("bus.rabbitmq.url names no host: '" + masked(url) + "'");
      }
      if (uri.getRawQuery() != null) {
        throw new IllegalArgumentException("bus.rabbitmq.url: query parameters are not read; use "
            + "bus.rabbitmq.connection-timeout, or inject a connection for other client settings ('" + masked(url) + "')");
      }
      requirePositive(connectionTimeout, "connection-timeout");
      requirePositive(recoveryInterval, "recovery-interval");
    }

    /** True for {@code amqps://}. */
    public boolean tls() {
      return url.regionMatches(true, 0, "amqps", 0, 5);
    }

    /** The URL without its password, for logs and messages. */
    public String masked() {
      return masked(url);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Url[" + masked() + ", connectionTimeout=" + connectionTimeout + ", recoveryInterval=" + recoveryInterval
          + "]";
    }

    private static URI parse(String url) {
      try {
        return new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("bus.rabbitmq.url is not a URL: '" + masked(url) + "'");
      }
    }

    static String masked(String url) {
      int scheme = url.indexOf("://");
      int at = url.lastIndexOf('@');
      if (scheme < 0 || at < scheme) {
        return url;
      }
      String userInfo = url.substring(scheme + 3, at);
      int colon = userInfo.indexOf(':');
      return colon < 0 ? url : url.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":***" + url.substring(at);
    }

    private static void requirePositive(Duration duration, String setting) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("bus.rabbitmq." + setting + " must be positive, was " + duration);
      }
    }
  }

  /**
   * The application's connection. For the bus to come back after a broker restart it needs
   * amqp-client's automatic recovery, which is on by default; without it the bus reports itself
   * down once the connection is lost.
   *
   * @param connection the connection; equal only to itself
   */
  record Injected(Connection connection) implements RabbitMqConnection {

    /** Validates the connection. */
    public Injected {
      Objects.requireNonNull(connection, "bus.rabbitmq connection");
    }
  }
}
