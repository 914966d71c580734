package io.layercache.redis;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.SingleFlightSettings;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * One application instance in its own JVM, driven line by line over stdin/stdout by
 * {@link CacheWorker}: a memory+Redis cache with distributed single-flight on.
 *
 * <pre>
 *   args:  redis-uri cache-name lease-millis wait-millis [bus]   (bus: the signed Redis bus on)
 *   out:   READY pid
 *   in:    STAMPEDE round start-epoch-millis callers loader-millis
 *   out:   STAMPEDE round loader-calls errors latency-micros,latency-micros,...
 *   in:    HOLD key loader-millis      (loads key in the background)
 *   out:   LOADING key                 (the loader started)
 *   out:   HELD key value fenced-writes
 *   in:    EXIT
 * </pre>
 */
public final class CacheWorkerMain {

  private CacheWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String redisUri = args[0];
    String cacheName = args[1];
    Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
    Duration wait = Duration.ofMillis(Long.parseLong(args[3]));
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("worker:" + ProcessHandle.current().pid()), CacheWorkerMain.class.getClassLoader());
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(redisUri));
    config.setTypes(String.class, String.class);
    config.setStatisticsEnabled(true); // the layer counters the reports print
    config.setSingleFlight(SingleFlightSettings.distributed(lease, wait));
    if (args.length > 4 && args[4].equals("bus")) {
      config.setBus(io.layercache.bus.BusConfig.of(
          new RedisBusSpec(RedisLayerSpec.of(redisUri).connection(), "worker:" + cacheName),
          io.layercache.bus.BusSettings.defaults("worker").withSigning(
              io.layercache.bus.BusSettings.Signing.of("k1", "worker-secret-worker-secret-0123", true))));
    }
    @SuppressWarnings("unchecked")
    LayerCache<String, String> cache = manager.createCache(cacheName, config).unwrap(LayerCache.class);
    ExecutorService pool = Executors.newCachedThreadPool();
    String pid = Long.toString(ProcessHandle.current().pid());
    // Warm-up, as any benchmark does: class loading, JIT, Redis connections.
    for (int i = 0; i < 200; i++) {
      cache.get("warm-up-" + pid + "-" + (i % 20), k -> "warm");
    }
    say("READY " + pid);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "STAMPEDE" -> stampede(cache, pool, cmd);
        case "HOLD" -> {
          String key = cmd[1];
          long loaderMillis = Long.parseLong(cmd[2]);
          pool.execute(() -> {
            String value = cache.get(key, k -> {
              say("LOADING " + k);
              pause(loaderMillis);
              return "from-" + pid;
            });
            say("HELD " + key + " " + value + " " + bottom(cache).detail("fenced-writes"));
          });
        }
        case "EXIT" -> {
          pool.shutdownNow();
          manager.close();
          System.exit(0);
        }
        default -> say("UNKNOWN " + line);
      }
    }
  }

  private static void stampede(LayerCache<String, String> cache, ExecutorService pool, String[] cmd) throws Exception {
    String round = cmd[1];
    long startAt = Long.parseLong(cmd[2]);
    int callers = Integer.parseInt(cmd[3]);
    long loaderMillis = Long.parseLong(cmd[4]);
    String key = "round-" + round;
    AtomicInteger loads = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    List<CompletableFuture<Long>> latencies = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      latencies.add(CompletableFuture.supplyAsync(() -> {
        LockSupport.parkUntil(startAt);
        long start = System.nanoTime();
        try {
          String value = cache.get(key, k -> {
            loads.incrementAndGet();
            pause(loaderMillis);
            return "origin value of " + k;
          });
          if (!("origin value of " + key).equals(value)) {
            errors.incrementAndGet();
          }
        } catch (RuntimeException e) {
          errors.incrementAndGet();
          System.err.println("get failed: " + e);
        }
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      }, pool));
    }
    StringBuilder micros = new StringBuilder();
    for (CompletableFuture<Long> latency : latencies) {
      micros.append(micros.length() == 0 ? "" : ",").append(latency.get(30, TimeUnit.SECONDS));
    }
    say("STAMPEDE " + round + " " + loads.get() + " " + errors.get() + " " + micros);
  }

  private static LayerStatistics bottom(LayerCache<String, String> cache) {
    List<LayerStatistics> layers = cache.layerStatistics();
    return layers.get(layers.size() - 1);
  }

  /** The simulated origin's latency. */
  private static void pause(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
