package io.layercache.nats;

import io.nats.client.Connection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the NATS bus reaches the server: a connection the application made and owns
 * ({@link #injected(Connection)}), or the settings of one the bus makes, owns and closes.
 *
 * <p>An injected connection is shared with the application: the bus adds a dispatcher and a
 * connection listener to it, removes them on close, and never drains or closes the connection.
 *
 * @param servers        server URLs ({@code nats://host:4222}, {@code tls://host:4222}); tried in
 *                       order, then kept as the reconnect pool; empty only with an injected connection
 * @param name           the connection's name on the server ({@code nats server report connections},
 *                       monitoring); null: {@code layercache}
 * @param token          an authentication token, or null
 * @param username       a user name (with {@code password}), or null
 * @param password       the user's password, or null
 * @param connectTimeout the longest one connection attempt waits
 * @param reconnectWait  the pause between two reconnection attempts to the same server; the bus
 *                       reconnects forever
 * @param injected       the application's connection, or null for one the bus makes
 */
public record NatsConnectionSpec(List<String> servers, @Nullable String name, @Nullable String token,
    @Nullable String username, @Nullable String password, Duration connectTimeout, Duration reconnectWait,
    @Nullable Connection injected) {

  /** The default server: a local one, as {@code nats-server} listens by default. */
  public static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";

  private static final Set<String> SCHEMES = Set.of("nats", "tls", "opentls", "ws", "wss");

  /** Validates the settings; messages name the setting. */
  public NatsConnectionSpec {
    servers = List.copyOf(Objects.requireNonNull(servers, "bus.nats.servers"));
    if (injected == null && servers.isEmpty()) {
      throw new IllegalArgumentException("bus.nats.servers must name at least one server, e.g. " + DEFAULT_SERVER);
    }
    servers.forEach(NatsConnectionSpec::checkServer);
    if (token != null && username != null) {
      throw new IllegalArgumentException("bus.nats.token and bus.nats.username exclude each other: "
          + "a NATS server authenticates a client by one of them");
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("bus.nats.username and bus.nats.password go together");
    }
    requirePositive(connectTimeout, "bus.nats.connect-timeout");
    requirePositive(reconnectWait, "bus.nats.reconnect-wait");
  }

  /** A connection the bus makes to these servers, with the defaults (2 s connect timeout, 1 s reconnect wait). */
  public static NatsConnectionSpec of(String... servers) {
    return new NatsConnectionSpec(List.of(servers), null, null, null, null, Duration.ofSeconds(2),
        Duration.ofSeconds(1), null);
  }

  /** The application's connection: the bus uses it and never drains or closes it. */
  public static NatsConnectionSpec injected(Connection connection) {
    return new NatsConnectionSpec(List.of(), null, null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(1),
        Objects.requireNonNull(connection, "connection"));
  }

  /** The same settings under another connection name. */
  public NatsConnectionSpec withName(String newName) {
    return new NatsConnectionSpec(servers, newName, token, username, password, connectTimeout, reconnectWait, injected);
  }

  /** The same settings authenticating with a token. */
  public NatsConnectionSpec withToken(String newToken) {
    return new NatsConnectionSpec(servers, name, newToken, null, null, connectTimeout, reconnectWait, injected);
  }

  /** The same settings authenticating with a user name and password. */
  public NatsConnectionSpec withUser(String newUsername, String newPassword) {
    return new NatsConnectionSpec(servers, name, null, newUsername, newPassword, connectTimeout, reconnectWait,
        injected);
  }

  /** The same settings with other connect and reconnect timings. */
  public NatsConnectionSpec withTimings(Duration newConnectTimeout, Duration newReconnectWait) {
    return new NatsConnectionSpec(servers, name, token, username, password, newConnectTimeout, newReconnectWait,
        injected);
  }

  /** True when the application owns the connection. */
  public boolean isInjected() {
    return injected != null;
  }

  /** For logs: the servers, or that the application's connection is used. */
  public String describe() {
    return injected != null ? "the application's connection" : masked(String.join(",", servers));
  }

  /** {@code text} without the credentials of the URLs in it (nats://user:secret@host): for logs. */
  static String masked(@Nullable String text) {
    return text == null ? "" : text.replaceAll("//[^/@,\\s]*@", "//***@");
  }

  private static void checkServer(String server) {
    try {
      URI uri = new URI(server);
      if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
        throw new URISyntaxException(server, "not nats://host:port");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bus.nats.servers: '" + server + "' is not a server URL such as "
          + DEFAULT_SERVER + " (schemes: nats, tls, opentls, ws, wss)");
    }
  }

  static void requirePositive(Duration duration, String setting) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + duration);
    }
  }

  @Override
  public String toString() {
    return "NatsConnectionSpec[" + describe() + ", name=" + name + ", token=" + (token == null ? "none" : "***")
        + ", username=" + username + ", password=" + (password == null ? "none" : "***") + ", connectTimeout="
        + connectTimeout + ", reconnectWait=" + reconnectWait + "]";
  }
}
