package io.layercache.redis;

import io.layercache.layer.SharedResources;
import java.util.List;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Redis layers of one cache manager a shared Redisson client per connection, created on
 * first use and shut down with the manager. A client the application passed in is used as is
 * and never shut down here.
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
    Owned owned = shared.computeIfAbsent(sharingKey, () -> new Owned(Redisson.create(configOf(connection)), connection));
    return owned.client;
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
          .setTimeout(timeout).setConnectTimeout(connect).setRetryAttempts(a.retryAttempts()).setRetryDelay(RETRY_DELAY)
          .setMasterConnectionMinimumIdleSize(MIN_IDLE).setMasterConnectionPoolSize(POOL_SIZE)
          .setSubscriptionConnectionMinimumIdleSize(0);
      case SENTINEL -> config.useSentinelServers()
          .setMasterName(a.masterName()).addSentinelAddress(a.addresses().toArray(String[]::new))
          .setDatabase(a.database())
          .setTimeout(timeout).setConnectTimeout(connect).setRetryAttempts(a.retryAttempts()).setRetryDelay(RETRY_DELAY)
          .setMasterConnectionMinimumIdleSize(MIN_IDLE).setMasterConnectionPoolSize(POOL_SIZE)
          .setSubscriptionConnectionMinimumIdleSize(0);
      default -> throw new IllegalStateException("unknown mode " + a.mode());
    }
    warnIfUnprotected(a);
    return config;
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
