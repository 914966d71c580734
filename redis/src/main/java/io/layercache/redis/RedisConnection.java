package io.layercache.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * How a Redis layer reaches Redis: addresses it connects to itself, a Redisson {@link Config}, or
 * a {@link RedissonClient} the application owns (never shut down by LayerCache).
 */
public sealed interface RedisConnection {

  /** Connection settings LayerCache turns into a Redisson configuration. */
  record Addresses(Mode mode, List<String> addresses, String masterName, String username, String password,
      int database, Duration connectTimeout, Duration commandTimeout, int retryAttempts) implements RedisConnection {

    /** Validates the settings; messages name the setting. */
    public Addresses {
      Objects.requireNonNull(mode, "redis.mode");
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("redis.address (or redis.nodes) must name at least one server");
      }
      for (String address : addresses) {
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
          throw new IllegalArgumentException("redis address '" + address + "' must start with redis:// or rediss://");
        }
      }
      if (mode == Mode.SENTINEL && (masterName == null || masterName.isBlank())) {
        throw new IllegalArgumentException("redis.master-name is required with redis.mode = sentinel");
      }
      if (mode == Mode.STANDALONE && addresses.size() != 1) {
        throw new IllegalArgumentException("redis.mode = standalone takes one address, got " + addresses.size());
      }
      if (database < 0) {
        throw new IllegalArgumentException("redis.database must be >= 0, was " + database);
      }
      requirePositive(connectTimeout, "redis.connect-timeout");
      requirePositive(commandTimeout, "redis.command-timeout");
      if (retryAttempts < 0) {
        throw new IllegalArgumentException("redis.retry-attempts must be >= 0, was " + retryAttempts);
      }
    }

    /** One standalone server with the default timeouts (500 ms per command, one retry). */
    public static Addresses standalone(String address) {
      return new Addresses(Mode.STANDALONE, List.of(address), null, null, null, 0,
          Duration.ofSeconds(2), Duration.ofMillis(500), 1);
    }

    /** A Redis Cluster reached through any of {@code nodes}. */
    public static Addresses cluster(List<String> nodes) {
      return new Addresses(Mode.CLUSTER, nodes, null, null, null, 0, Duration.ofSeconds(2), Duration.ofMillis(500), 1);
    }

    /** The same settings with ACL credentials. */
    public Addresses withCredentials(String username, String password) {
      return new Addresses(mode, addresses, masterName, username, password, database, connectTimeout, commandTimeout,
          retryAttempts);
    }

    /** The same settings with another command timeout. */
    public Addresses withCommandTimeout(Duration timeout) {
      return new Addresses(mode, addresses, masterName, username, password, database, connectTimeout, timeout,
          retryAttempts);
    }

    @Override
    public String toString() {
      return "Addresses[mode=" + mode + ", addresses=" + addresses + ", user=" + username
          + ", password=" + (password == null ? "none" : "***") + ", database=" + database + "]";
    }

    private static void requirePositive(Duration duration, String setting) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive, was " + duration);
      }
    }
  }

  /**
   * A Redisson configuration (TLS trust stores, pools, NAT mapping…: everything Redisson offers).
   * Caches given the same {@code Config} object, or the same {@code source} (the YAML file a
   * configuration file names), share one client.
   */
  record RedissonConfig(Config config, String source) implements RedisConnection {
    /** Validates the configuration. */
    public RedissonConfig {
      Objects.requireNonNull(config, "config");
    }

    /** A configuration made in code. */
    public RedissonConfig(Config config) {
      this(config, null);
    }

    /** What identifies the client to share. */
    Object sharingKey() {
      return source != null ? "redisson-config:" + source : this;
    }
  }

  /** A client the application created and will shut down itself. */
  record ExistingClient(RedissonClient client) implements RedisConnection {
    /** Validates the client. */
    public ExistingClient {
      Objects.requireNonNull(client, "client");
    }
  }

  /** Redis topologies. */
  enum Mode {
    /** One server. */
    STANDALONE,
    /** Redis Cluster. */
    CLUSTER,
    /** Sentinel-managed primary. */
    SENTINEL
  }
}
