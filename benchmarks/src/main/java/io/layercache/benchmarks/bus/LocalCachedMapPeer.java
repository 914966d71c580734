package io.layercache.benchmarks.bus;

import java.util.concurrent.locks.LockSupport;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;

/**
 * The reference of {@link FanOutLatency}: Redisson's own near cache, {@code RLocalCachedMap} with
 * the {@code INVALIDATE} strategy (a put or remove on one instance drops the key from the others'
 * local caches through Redis pub/sub), timed the same way as the LayerCache bus, in the same JVMs.
 */
final class LocalCachedMapPeer implements AutoCloseable {

  private static final String MAP = "fanout:local-cached-map";

  private final RedissonClient client;
  private final RLocalCachedMap<String, String> map;

  LocalCachedMapPeer(String redisUri) {
    this.client = RawPubSub.client(redisUri);
    this.map = client.getLocalCachedMap(LocalCachedMapOptions.<String, String>name(MAP).codec(StringCodec.INSTANCE)
        .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE)
        .reconnectionStrategy(LocalCachedMapOptions.ReconnectionStrategy.CLEAR));
  }

  /** The writer's change: a put (even rounds) or a remove (odd rounds), returning once Redis took it. */
  void change(String key, int round) {
    if (round % 2 == 0) {
      map.fastPut(key, "v1");
    } else {
      map.fastRemove(key);
    }
  }

  /** Writes the key's first value (before the rounds). */
  void prepare(String key) {
    map.fastPut(key, "v0");
  }

  /** Reads the key until the local cache holds it. */
  void warm(String key) {
    while (!map.getCachedMap().containsKey(key)) {
      map.get(key);
    }
  }

  /** Polls the local cache every {@code pollNanos} until the key is gone from it. */
  void watch(String key, long pollNanos) {
    while (map.getCachedMap().containsKey(key)) {
      LockSupport.parkNanos(pollNanos);
    }
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
