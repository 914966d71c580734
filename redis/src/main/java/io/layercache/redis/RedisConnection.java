package io.layercache.redis;

import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * Connection settings LayerCache turns into a Redisson configuration.
   *
   * <p>In {@link Mode#SENTINEL} mode {@code addresses} are the sentinels', not the master's: the
   * client asks them which server is the master and follows their failovers. Replicas are never
   * read from in any mode (a replica may not have the latest write yet, and the layer's
   * compare-and-set reads must see what they replace).
   *
   * @param tls how {@code rediss://} addresses are trusted; {@link Tls#DEFAULT} (the JVM's trust
   *            store, host name checked) when null
   */
  record Addresses(Mode mode, List<String> addresses, String masterName, String username, String password,
      int database, Duration connectTimeout, Duration commandTimeout, int retryAttempts, Tls tls)
      implements RedisConnection {

    /** Validates the settings; messages name the setting. */
    public Addresses {
      Objects.requireNonNull(mode, "redis.mode");
      addresses = List.copyOf(addresses);
      tls = tls == null ? Tls.DEFAULT : tls;
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException(switch (mode) {
          case STANDALONE -> "redis.address must name the server";
          case CLUSTER -> "redis.nodes must list at least one cluster node with redis.mode = cluster";
          case SENTINEL -> "redis.nodes must list at least one Sentinel with redis.mode = sentinel";
        });
      }
      for (String address : addresses) {
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
          throw new IllegalArgumentException("redis address '" + address + "' must start with redis:// or rediss://");
        }
      }
      long secured = addresses.stream().filter(address -> address.startsWith("rediss://")).count();
      if (secured != 0 && secured != addresses.size()) {
        throw new IllegalArgumentException("redis addresses " + addresses + " mix redis:// and rediss://; "
            + "use rediss:// for all of them (TLS) or for none");
      }
      if (secured == 0 && !tls.equals(Tls.DEFAULT)) {
        throw new IllegalArgumentException("redis.tls is set but no address uses rediss://; write the "
            + (mode == Mode.STANDALONE ? "redis.address" : "redis.nodes") + " as rediss://host:port to connect over TLS");
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

    /** The settings without TLS options: {@link Tls#DEFAULT} for {@code rediss://} addresses. */
    public Addresses(Mode mode, List<String> addresses, String masterName, String username, String password,
        int database, Duration connectTimeout, Duration commandTimeout, int retryAttempts) {
      this(mode, addresses, masterName, username, password, database, connectTimeout, commandTimeout, retryAttempts,
          Tls.DEFAULT);
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

    /**
     * The master the {@code sentinels} monitor under {@code masterName}, with the default
     * timeouts. The sentinels are asked with the same credentials as the master when they accept
     * them, without credentials otherwise (Redisson's rule).
     */
    public static Addresses sentinel(String masterName, List<String> sentinels) {
      return new Addresses(Mode.SENTINEL, sentinels, masterName, null, null, 0, Duration.ofSeconds(2),
          Duration.ofMillis(500), 1);
    }

    /** The same settings with ACL credentials. */
    public Addresses withCredentials(String username, String password) {
      return new Addresses(mode, addresses, masterName, username, password, database, connectTimeout, commandTimeout,
          retryAttempts, tls);
    }

    /** The same settings with another command timeout. */
    public Addresses withCommandTimeout(Duration timeout) {
      return new Addresses(mode, addresses, masterName, username, password, database, connectTimeout, timeout,
          retryAttempts, tls);
    }

    /** The same settings with these TLS options (the addresses must be {@code rediss://}). */
    public Addresses withTls(Tls tls) {
      return new Addresses(mode, addresses, masterName, username, password, database, connectTimeout, commandTimeout,
          retryAttempts, tls);
    }

    /** True when the addresses are {@code rediss://}. */
    public boolean usesTls() {
      return addresses.get(0).startsWith("rediss://");
    }

    @Override
    public String toString() {
      return "Addresses[mode=" + mode + ", addresses=" + addresses + (masterName == null ? "" : ", master=" + masterName)
          + ", user=" + username + ", password=" + (password == null ? "none" : "***") + ", database=" + database
          + (usesTls() ? ", " + tls : "") + "]";
    }

    private static void requirePositive(Duration duration, String setting) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive, was " + duration);
      }
    }
  }

  /**
   * How {@code rediss://} connections trust the server and, optionally, prove the client.
   *
   * <p>The server's certificate must chain to a CA of {@code caFile} (PEM) or {@code truststore}
   * (PKCS12 or JKS), or, when neither is set, to one the JVM trusts (a public CA). A private CA is
   * what most self-hosted Redis deployments use, hence a PEM file: it is what the server's own
   * {@code tls-ca-cert-file} holds, with no key store to build. {@code keystore} holds the
   * client's certificate and key for servers that check clients ({@code tls-auth-clients}).
   *
   * <p>The files are checked to be readable here and read when the client is created; every
   * error names the setting.
   *
   * @param caFile             PEM file of the CA certificate(s) to trust ({@code redis.tls.ca-file})
   * @param truststore         trust store file, PKCS12 or JKS ({@code redis.tls.truststore})
   * @param truststorePassword its password, or null ({@code redis.tls.truststore-password})
   * @param keystore           key store file with the client certificate, PKCS12 or JKS ({@code redis.tls.keystore})
   * @param keystorePassword   its password, required with a key store ({@code redis.tls.keystore-password})
   * @param verifyHostname     check that the certificate names the address's host; false checks
   *                           only that a trusted CA signed it ({@code redis.tls.verify-hostname})
   */
  record Tls(Path caFile, Path truststore, String truststorePassword, Path keystore, String keystorePassword,
      boolean verifyHostname) {

    /** The JVM's trusted CAs, no client certificate, host name checked. */
    public static final Tls DEFAULT = new Tls(null, null, null, null, null, true);

    /** Validates the options; messages name the setting. */
    public Tls {
      if (caFile != null && truststore != null) {
        throw new IllegalArgumentException("redis.tls.ca-file and redis.tls.truststore are both set; set one of them");
      }
      if (truststorePassword != null && truststore == null) {
        throw new IllegalArgumentException("redis.tls.truststore-password is set without redis.tls.truststore");
      }
      if (keystorePassword != null && keystore == null) {
        throw new IllegalArgumentException("redis.tls.keystore-password is set without redis.tls.keystore");
      }
      if (keystore != null && keystorePassword == null) {
        throw new IllegalArgumentException("redis.tls.keystore-password is required with redis.tls.keystore");
      }
      requireReadable(caFile, "redis.tls.ca-file");
      requireReadable(truststore, "redis.tls.truststore");
      requireReadable(keystore, "redis.tls.keystore");
    }

    /** Trusts the CA certificate(s) of a PEM file. */
    public static Tls trustingCa(Path caFile) {
      return new Tls(Objects.requireNonNull(caFile, "redis.tls.ca-file"), null, null, null, null, true);
    }

    /** Trusts the certificates of a trust store file (PKCS12 or JKS). */
    public static Tls trustStore(Path truststore, String password) {
      return new Tls(null, Objects.requireNonNull(truststore, "redis.tls.truststore"), password, null, null, true);
    }

    /** The same options presenting the client certificate of a key store file (PKCS12 or JKS). */
    public Tls withClientKeystore(Path keystore, String password) {
      return new Tls(caFile, truststore, truststorePassword, keystore, password, verifyHostname);
    }

    /** The same options with the host name check on or off. */
    public Tls withVerifyHostname(boolean verify) {
      return new Tls(caFile, truststore, truststorePassword, keystore, keystorePassword, verify);
    }

    @Override
    public String toString() {
      return "Tls[" + (caFile != null ? "ca-file=" + caFile : truststore != null ? "truststore=" + truststore
          : "JVM trust store") + (keystore == null ? "" : ", keystore=" + keystore)
          + ", verify-hostname=" + verifyHostname + "]";
    }

    private static void requireReadable(Path file, String setting) {
      if (file != null && !Files.isReadable(file)) {
        throw new IllegalArgumentException(setting + ": cannot read " + file.toAbsolutePath()
            + (Files.exists(file) ? " (no read permission)" : " (no such file)"));
      }
    }
  }

  /**
   * A Redisson configuration (pools, NAT mapping, reading from replicas…: everything Redisson offers).
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
