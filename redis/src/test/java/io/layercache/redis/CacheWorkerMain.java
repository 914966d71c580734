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
import java.util.concurrent.atomic.AtomicLong;
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
 *   out:   STAMPEDE round loader-calls errors latency-micros,... first-call-nanos loader-start-nanos
 *          loader-end-nanos return-nanos,...   (System.nanoTime; 0 for no loader here)
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
    warmUp(cache, pool, pid);
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

  /**
   * Warm-up, as any benchmark does: class loading, Redis connections, and the JIT, which compiles
   * a path only after it ran a few hundred times. A service that has been up for a while has run
   * its misses (the shared read, the lease, the load, the store, the release) far more often than
   * the stampede rounds do, so four threads read 1,000 missing keys in the same order (one loads
   * each key, the others join it or hit), then hit them.
   */
  private static void warmUp(LayerCache<String, String> cache, ExecutorService pool, String pid) {
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(CompletableFuture.runAsync(() -> {
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < Integer.getInteger("worker.warmUpMisses", 1_000); i++) {
            cache.get("warm-up-" + pid + "-" + i, k -> "warm");
          }
        }
      }, pool));
    }
    threads.forEach(CompletableFuture::join);
  }

  private static void stampede(LayerCache<String, String> cache, ExecutorService pool, String[] cmd) throws Exception {
    String round = cmd[1];
    long startAt = Long.parseLong(cmd[2]);
    int callers = Integer.parseInt(cmd[3]);
    long loaderMillis = Long.parseLong(cmd[4]);
    String key = "round-" + round;
    AtomicInteger loads = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong firstCall = new AtomicLong(Long.MAX_VALUE);
    AtomicLong loaderStart = new AtomicLong();
    AtomicLong loaderEnd = new AtomicLong();
    List<CompletableFuture<long[]>> calls = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        LockSupport.parkUntil(startAt);
        long start = System.nanoTime();
        firstCall.accumulateAndGet(start, Math::min);
        try {
          String value = cache.get(key, k -> {
            loads.incrementAndGet();
            loaderStart.set(System.nanoTime());
            pause(loaderMillis);
            loaderEnd.set(System.nanoTime());
            return "origin value of " + k;
          });
          if (!("origin value of " + key).equals(value)) {
            errors.incrementAndGet();
          }
        } catch (RuntimeException e) {
          errors.incrementAndGet();
          System.err.println("get failed: " + e);
        }
        return new long[] {start, System.nanoTime()};
      }, pool));
    }
    StringBuilder micros = new StringBuilder();
    StringBuilder ends = new StringBuilder();
    for (CompletableFuture<long[]> call : calls) {
      long[] startEnd = call.get(30, TimeUnit.SECONDS);
      String separator = micros.length() == 0 ? "" : ",";
      micros.append(separator).append(TimeUnit.NANOSECONDS.toMicros(startEnd[1] - startEnd[0]));
      ends.append(separator).append(startEnd[1]);
    }
    // System.nanoTime is one clock for every process of a Linux host, so the test can line the
    // processes' timelines up: the first call, the loader's start and end, each caller's return.
    // to the worker's log: how its waits ended (release notices heard, values taken from them)
    System.err.println("round " + round + " redis layer: " + bottom(cache).details());
    say("STAMPEDE " + round + " " + loads.get() + " " + errors.get() + " " + micros + " " + firstCall.get() + " "
        + loaderStart.get() + " " + loaderEnd.get() + " " + ends);
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
