package io.layercache.benchmarks;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What one miss with a load costs on the memory + Redis stack (the shared read, the lease, the
 * loader, the store) when the machine is busy with misses, and when it has been idle for a while,
 * as it is at the start of each round of the several-JVM stampede test; beside it, two raw
 * Redisson {@code GET}s after the same idle pause (the "two round trips" of a waiter's goal).
 *
 * <p>A process that has slept for a few hundred milliseconds pays for waking every thread and
 * process a round trip passes through (the caller, Redisson's event loop, Redis); on a virtual
 * machine that costs far more than the round trip itself, and this program shows how much.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.MissAfterIdle [busy-misses] [idle-rounds]</pre>
 */
public final class MissAfterIdle {

  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  private MissAfterIdle() {}

  public static void main(String[] args) {
    int busy = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int idle = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    try (RedisServer server = RedisServer.start()) {
      CacheManager manager = Caching.getCachingProvider(Impls.LAYERCACHE_PROVIDER).getCacheManager();
      Cache<String, String> jcache = manager.createCache("miss-after-idle",
          new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
              .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(server.uri())));
      @SuppressWarnings("unchecked")
      LayerCache<String, String> cache = jcache.unwrap(LayerCache.class);
      RedissonClient redisson = Redisson.create(rawConfig(server.uri()));
      try {
        misses(cache, "warm-", busy, 0); // the JIT's warm-up, not reported
        report("miss with a load, back to back", misses(cache, "busy-", busy, 0));
        report("miss with a load, after 300 ms idle", misses(cache, "idle-", idle, IDLE_NANOS));
        report("two raw Redisson GETs, after 300 ms idle", twoGets(redisson.getBucket("absent"), idle));
      } finally {
        redisson.shutdown();
        manager.close();
      }
    }
  }

  private static Config rawConfig(String uri) {
    Config config = new Config();
    config.useSingleServer().setAddress(uri);
    return config;
  }

  /** Per miss: {loader start after the call, whole call}, in nanoseconds. */
  private static long[][] misses(LayerCache<String, String> cache, String prefix, int count, long pauseNanos) {
    long[][] times = new long[2][count];
    for (int i = 0; i < count; i++) {
      if (pauseNanos > 0) {
        LockSupport.parkNanos(pauseNanos);
      }
      long[] loaderStart = new long[1];
      long start = System.nanoTime();
      cache.get(prefix + i, key -> {
        loaderStart[0] = System.nanoTime();
        return "value";
      });
      times[1][i] = System.nanoTime() - start;
      times[0][i] = loaderStart[0] - start;
    }
    return times;
  }

  /** Per round: {first GET, both GETs}, in nanoseconds. */
  private static long[][] twoGets(RBucket<Object> bucket, int count) {
    long[][] times = new long[2][count];
    for (int i = 0; i < count; i++) {
      LockSupport.parkNanos(IDLE_NANOS);
      long start = System.nanoTime();
      bucket.get();
      times[0][i] = System.nanoTime() - start;
      bucket.get();
      times[1][i] = System.nanoTime() - start;
    }
    return times;
  }

  private static void report(String what, long[][] times) {
    System.out.printf("%-42s first part p50 %7.3f ms max %7.3f ms | whole p50 %7.3f ms max %7.3f ms (n=%d)%n", what,
        percentile(times[0], 50), percentile(times[0], 100), percentile(times[1], 50), percentile(times[1], 100),
        times[0].length);
  }

  private static double percentile(long[] nanos, int percent) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
