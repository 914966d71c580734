package io.layercache.redis;

import io.layercache.layer.SharedResources;
import java.util.List;
import javax.cache.CacheException;
import javax.net.ssl.SSLException;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SslVerificationMode;
import org.redisson.config.SubscriptionMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Redis layers of one cache manager a shared Redisson client per connection, created on
 * first use and shut down with the manager. A client the application passed in is used as is
 * and never shut down here.
 *
 * <p>In Cluster and Sentinel mode every command goes to a master ({@code ReadMode.MASTER}):
 * Redisson's default reads from replicas, where replication lag would hide a write another
 * instance has just acknowledged and make the compare-and-set read an older value than it then
 * compares against. Subscriptions go to masters too, so Redisson opens no replica pools at all.
 */
final class RedisClients {

  private static final Logger LOG = LoggerFactory.getLogger(RedisClients.class);

  /** Short enough that a retry happens within the layer's own deadline (timeout × attempts + 100 ms). */
  private static final org.redisson.config.DelayStrategy RETRY_DELAY =
      new org.redisson.config.ConstantDelay(java.time.Duration.ofMillis(50));

  /**
   * Connections per node. Redisson holds a connection for each command in flight, so the pool
   * bounds the concurrent Redis calls: a burst of misses from more threads than this waits for
   * a connection within the command timeout (16 failed bursts of 20 callers in a cold JVM).
   */
  private static final int POOL_SIZE = 64;
  /** Connections opened at start, so the first burst does not wait for handshakes. */
  private static final int MIN_IDLE = 8;

  private RedisClients() {}

  static RedissonClient clientFor(RedisConnection connection, SharedResources shared) {
    if (connection instanceof RedisConnection.ExistingClient existing) {
      return existing.client();
    }
    Object sharingKey = connection instanceof RedisConnection.RedissonConfig given ? given.sharingKey() : connection;
    Owned owned = shared.computeIfAbsent(sharingKey, () -> new Owned(create(connection), connection));
    return owned.client;
  }

  /**
   * Creates the client, which connects at once. A failed TLS handshake is reported with the
   * settings that decide it: Redisson's own message names only the address.
   */
  private static RedissonClient create(RedisConnection connection) {
    Config config = configOf(connection);
    try {
      return Redisson.create(config);
    } catch (RuntimeException e) {
      SSLException tls = sslCause(e);
      if (tls == null || !(connection instanceof RedisConnection.Addresses a)) {
        throw e;
      }
      throw new CacheException("Redis layer: the TLS handshake with " + a.addresses() + " failed: " + tls.getMessage()
          + ". The server's certificate must chain to a CA of " + trustSource(a.tls())
          + (a.tls().verifyHostname() ? " and name the address's host (redis.tls.verify-hostname = true)" : "")
          + "; a server checking clients needs redis.tls.keystore", e);
    }
  }

  private static String trustSource(RedisConnection.Tls tls) {
    if (tls.caFile() != null) {
      return "redis.tls.ca-file (" + tls.caFile().toAbsolutePath() + ")";
    }
    if (tls.truststore() != null) {
      return "redis.tls.truststore (" + tls.truststore().toAbsolutePath() + ")";
    }
    return "the JVM's trust store (set redis.tls.ca-file or redis.tls.truststore for a private CA)";
  }

  private static SSLException sslCause(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }

  static Config configOf(RedisConnection connection) {
    if (connection instanceof RedisConnection.RedissonConfig given) {
      Config config = new Config(given.config());
      config.setCodec(ByteArrayCodec.INSTANCE);
      return config;
    }
    RedisConnection.Addresses a = (RedisConnection.Addresses) connection;
    Config config = new Config();
    config.setCodec(ByteArrayCodec.INSTANCE);
    // Redisson 4 keeps credentials on the Config (the per-server setters are deprecated and log a warning)
    config.setUsername(a.username()).setPassword(a.password());
    int timeout = (int) a.commandTimeout().toMillis();
    int connect = (int) a.connectTimeout().toMillis();
    switch (a.mode()) {
      case STANDALONE -> config.useSingleServer()
          .setAddress(a.addresses().get(0)).setDatabase(a.database())
          .setTimeout(timeout).setConnectTimeout(connect).setRetryAttempts(a.retryAttempts()).setRetryDelay(RETRY_DELAY)
          .setConnectionMinimumIdleSize(MIN_IDLE).setConnectionPoolSize(POOL_SIZE)
          .setSubscriptionConnectionMinimumIdleSize(0);
      case CLUSTER -> config.useClusterServers()
          .addNodeAddress(a.addresses().toArray(String[]::new))
          .setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER)
          .setTimeout(timeout).setConnectTimeout(connect).setRetryAttempts(a.retryAttempts()).setRetryDelay(RETRY_DELAY)
          .setMasterConnectionMinimumIdleSize(MIN_IDLE).setMasterConnectionPoolSize(POOL_SIZE)
          .setSubscriptionConnectionMinimumIdleSize(0);
      case SENTINEL -> config.useSentinelServers()
          .setMasterName(a.masterName()).addSentinelAddress(a.addresses().toArray(String[]::new))
          .setDatabase(a.database())
          .setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER)
          .setTimeout(timeout).setConnectTimeout(connect).setRetryAttempts(a.retryAttempts()).setRetryDelay(RETRY_DELAY)
          .setMasterConnectionMinimumIdleSize(MIN_IDLE).setMasterConnectionPoolSize(POOL_SIZE)
          .setSubscriptionConnectionMinimumIdleSize(0);
      default -> throw new IllegalStateException("unknown mode " + a.mode());
    }
    if (a.usesTls()) {
      applyTls(config, a.tls());
    }
    warnIfUnprotected(a);
    return config;
  }

  /**
   * Redisson checks the certificate's host name by default ({@code STRICT}); {@code CA_ONLY}
   * when the user turned that off. Never {@code NONE}, which trusts any certificate.
   */
  private static void applyTls(Config config, RedisConnection.Tls tls) {
    config.setSslVerificationMode(tls.verifyHostname() ? SslVerificationMode.STRICT : SslVerificationMode.CA_ONLY);
    var trust = TlsContexts.trustManagers(tls);
    if (trust != null) {
      config.setSslTrustManagerFactory(trust);
    }
    var keys = TlsContexts.keyManagers(tls);
    if (keys != null) {
      config.setSslKeyManagerFactory(keys);
    }
  }

  private static void warnIfUnprotected(RedisConnection.Addresses a) {
    boolean remote = a.addresses().stream().anyMatch(address -> !isLoopback(address));
    if (remote && a.password() == null) {
      LOG.warn("Redis layer connects to {} without authentication; configure redis.username/redis.password (ACL)",
          a.addresses());
    }
    if (remote && a.addresses().stream().anyMatch(address -> address.startsWith("redis://"))) {
      LOG.warn("Redis layer connects to {} without TLS; use rediss:// outside a trusted network", a.addresses());
    }
  }

  private static boolean isLoopback(String address) {
    String hostPort = address.substring(address.indexOf("://") + 3);
    return hostPort.startsWith("127.") || hostPort.startsWith("localhost") || hostPort.startsWith("[::1]");
  }

  /** A client LayerCache created and therefore shuts down. */
  private record Owned(RedissonClient client, RedisConnection connection) implements AutoCloseable {
    @Override
    public void close() {
      client.shutdown();
    }

    @Override
    public String toString() {
      return "RedissonClient" + List.of(connection);
    }
  }
}
