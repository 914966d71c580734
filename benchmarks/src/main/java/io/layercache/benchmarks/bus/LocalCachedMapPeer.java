package io.layercache.benchmarks.bus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.redisson.api.listener.LocalCacheInvalidateListener;
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
  private final Map<String, CompletableFuture<Long>> dropped = new ConcurrentHashMap<>();

  LocalCachedMapPeer(String redisUri) {
    this.client = RawPubSub.client(redisUri);
    this.map = client.getLocalCachedMap(LocalCachedMapOptions.<String, String>name(MAP).codec(StringCodec.INSTANCE)
        .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE)
        .reconnectionStrategy(LocalCachedMapOptions.ReconnectionStrategy.CLEAR));
    map.addListener((LocalCacheInvalidateListener<String, String>) (key, value) -> {
      long now = System.nanoTime();
      dropped.computeIfAbsent(key, k -> new CompletableFuture<>()).complete(now);
    });
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
    dropped.remove(key); // forget the invalidation of the key's first write
  }

  /**
   * The time Redisson's invalidation listener heard of the key's change (it runs after the local
   * copy was dropped); fails when the local cache still holds the key.
   */
  long invalidated(String key) throws Exception {
    long at = dropped.computeIfAbsent(key, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
    if (map.getCachedMap().containsKey(key)) {
      throw new IllegalStateException("invalidated " + key + " but the local cache still holds it");
    }
    return at;
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
