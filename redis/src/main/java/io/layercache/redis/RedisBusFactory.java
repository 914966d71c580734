package io.layercache.redis;

import com.typesafe.config.Config;
import io.layercache.bus.BusFactory;
import io.layercache.bus.BusSpec;
import io.layercache.bus.BusTransport;
import io.layercache.config.Settings;
import io.layercache.layer.SharedResources;
import org.redisson.api.RedissonClient;

/**
 * Builds the Redis transport of the invalidation bus; found by core through
 * {@link java.util.ServiceLoader} as bus type {@code redis}. The connection is the cache's
 * {@code redis} section, so a memory + Redis cache's layer and bus share one client.
 */
public final class RedisBusFactory implements BusFactory {

  @Override
  public String type() {
    return RedisBusSpec.TYPE;
  }

  @Override
  public BusSpec parse(Config cache, String path, ClassLoader classLoader) {
    RedisConnection connection = RedisLayerFactory.connection(new Settings(cache.getConfig("redis"), path + ".redis"),
        cache.getConfig("redis"));
    Settings bus = new Settings(cache.getConfig("bus.redis"), path + ".bus.redis");
    String channel = bus.getString("channel");
    String sharding = bus.getString("sharding");
    return bus.validated(() -> new RedisBusSpec(connection, channel, RedisBusSpec.Sharding.parse(sharding)));
  }

  @Override
  public BusTransport create(BusSpec spec, SharedResources shared, ClassLoader classLoader) {
    RedisBusSpec redis = (RedisBusSpec) spec;
    RedissonClient client = RedisClients.clientFor(redis.connection(), shared);
    boolean sharded = switch (redis.sharding()) {
      case SHARDED -> true;
      case CLASSIC -> false;
      case AUTO -> client.getConfig().isClusterConfig();
    };
    return new RedisBusTransport(client, redis.channel(), sharded, RedisLayerFactory.waitMillis(redis.connection()));
  }
}
