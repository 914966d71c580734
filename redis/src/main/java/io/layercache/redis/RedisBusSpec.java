package io.layercache.redis;

import io.layercache.bus.BusSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * The Redis transport of the invalidation bus: pub/sub on the connection the Redis layer uses
 * (one client per cache manager serves both).
 *
 * @param connection how to reach Redis
 * @param channel    the pub/sub channel every instance shares
 * @param sharding   classic or sharded pub/sub
 */
public record RedisBusSpec(RedisConnection connection, String channel, Sharding sharding) implements BusSpec {

  /** The type name, as in {@code bus.type}. */
  public static final String TYPE = "redis";

  /** The default channel. */
  public static final String DEFAULT_CHANNEL = "layercache:invalidations";

  /** Classic or sharded pub/sub. */
  public enum Sharding {
    /** Sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}) on Redis Cluster, classic elsewhere. */
    AUTO,
    /** Classic {@code PUBLISH}/{@code SUBSCRIBE}: on Cluster every message is broadcast to every node. */
    CLASSIC,
    /** Sharded pub/sub: the channel lives on one shard (Redis 7+). */
    SHARDED;

    /** Parses {@code bus.redis.sharding}. */
    static Sharding parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bus.redis.sharding must be auto, classic or sharded, was '" + value + "'");
      }
    }
  }

  /** Validates the spec. */
  public RedisBusSpec {
    Objects.requireNonNull(connection, "redis connection");
    Objects.requireNonNull(sharding, "bus.redis.sharding");
    if (channel == null || channel.isBlank() || channel.length() > 256) {
      throw new IllegalArgumentException("bus.redis.channel must be 1 to 256 characters, was '" + channel + "'");
    }
  }

  /** Pub/sub on {@code channel}, sharded on Cluster. */
  public RedisBusSpec(RedisConnection connection, String channel) {
    this(connection, channel, Sharding.AUTO);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
