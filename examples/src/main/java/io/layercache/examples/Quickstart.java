package io.layercache.examples;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisLayerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * The README's demo: a LayerCache cache through plain JCache, then the extras through
 * {@code unwrap(LayerCache.class)}: load-once under 100 concurrent callers, tags, and the
 * per-layer statistics of a warm read phase. Runs memory -> Redis when {@code REDIS_URL} is set or a Redis answers on
 * 127.0.0.1:6379, memory only otherwise.
 */
public final class Quickstart {

  private Quickstart() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) throws Exception {
    CachingProvider provider = Caching.getCachingProvider();
    String redis = findRedis();
    try (CacheManager manager = provider.getCacheManager()) {
      LayerCacheConfiguration<String, String> config = configuration(redis);
      Cache<String, String> users = manager.createCache("users", config);
      users.clear();
      LayerCache<String, String> layered = users.unwrap(LayerCache.class);

      System.out.println("LayerCache quickstart");
      System.out.println("  provider: " + provider.getClass().getName());
      System.out.println("  stack:    " + stackOf(layered) + (redis == null
          ? " (no Redis found: set REDIS_URL or start redis-server on 127.0.0.1:6379 for memory -> redis)"
          : " (Redis at " + redis + ")"));

      plainJCache(users);
      loadOnce(layered);
      tags(layered, users);
      layerStatistics(layered, redis != null);
      if (redis != null) {
        twoInstances(provider, config, users);
      } else {
        section("5. Two instances (needs Redis)");
        System.out.println("  With Redis, this section shows a second instance kept coherent by the invalidation bus.");
      }
    }
  }

  /** Memory only, or memory -> Redis with the Redis invalidation bus when a Redis was found. */
  private static LayerCacheConfiguration<String, String> configuration(String redis) {
    LayerCacheConfiguration<String, String> config =
        new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
            .setStatisticsEnabled(true); // per-layer counters count while statistics are on (section 4)
    if (redis != null) {
      RedisLayerSpec redisLayer = RedisLayerSpec.of(redis).withNamespace("quickstart");
      config.setLayers(MemoryLayerSpec.defaults(), redisLayer)
          .setBus(BusConfig.of(new RedisBusSpec(redisLayer.connection(), "quickstart:invalidations"),
              BusSettings.defaults("quickstart")));
    }
    return config;
  }

  private static void plainJCache(Cache<String, String> users) {
    section("1. Plain JCache");
    users.put("user:1", "Ada Lovelace");
    System.out.println("  put user:1, get user:1 -> " + users.get("user:1"));
    System.out.println("  get user:2 (absent)    -> " + users.get("user:2"));
  }

  private static void loadOnce(LayerCache<String, String> layered) {
    section("2. Load once: 100 concurrent callers of a missing key, loader takes 50 ms");
    AtomicInteger loaderCalls = new AtomicInteger();
    int callers = 100;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<CompletableFuture<String>> results = new ArrayList<>();
    long began = System.nanoTime();
    for (int i = 0; i < callers; i++) {
      results.add(CompletableFuture.supplyAsync(() -> {
        awaitQuietly(start);
        return layered.get("user:42", key -> {
          loaderCalls.incrementAndGet();
          Thread.sleep(50);
          return "Grace Hopper";
        });
      }, pool));
    }
    start.countDown();
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
    pool.shutdown();
    long distinct = results.stream().map(CompletableFuture::join).distinct().count();
    System.out.printf("  %d callers -> %d loader call(s), %d distinct value(s), %d ms in all%n",
        callers, loaderCalls.get(), distinct, (System.nanoTime() - began) / 1_000_000);
  }

  private static void tags(LayerCache<String, String> layered, Cache<String, String> users) {
    section("3. Tags: invalidate every entry of a tag with one call");
    layered.set("post:1", "Hello", EntryOptions.defaults().withTags("posts", "author:7"));
    layered.set("post:2", "World", EntryOptions.defaults().withTags("posts", "author:8"));
    layered.set("session:9", "token", EntryOptions.defaults().withTtl(Duration.ofMinutes(30)));
    layered.invalidateByTag("author:7");
    System.out.println("  after invalidateByTag(\"author:7\"): post:1 -> " + users.get("post:1")
        + ", post:2 -> " + users.get("post:2"));
    System.out.println("  session:9 expires at " + layered.entryInfo("session:9").orElseThrow().expiresAt());
  }

  private static void layerStatistics(LayerCache<String, String> layered, boolean withRedis) {
    section("4. Per-layer statistics: 1,000 reads of 100 keys, counted from zero");
    // The statistics so far are mostly section 2: each of its 100 callers counted a miss on
    // user:42 (they all waited for the one load), which says little about a warm cache.
    layered.resetLayerStatistics();
    int keys = 100;
    int reads = 1_000;
    for (int i = 0; i < reads; i++) {
      layered.get("item:" + (i % keys), key -> "value of " + key);
    }
    for (LayerStatistics stats : layered.layerStatistics()) {
      System.out.printf("  %-8s hits=%d misses=%d writes=%d hit-rate=%.0f%%%n",
          stats.layer(), stats.hits(), stats.misses(), stats.writes(), stats.hitRate() * 100);
    }
    System.out.printf("  Each key misses once, on its first read (%d misses, %d loads), and the other %d reads"
        + " hit memory.%n", keys, keys, reads - keys);
    if (withRedis) {
      System.out.println("  Redis sees only the memory layer's misses: each first read looks there (empty),");
      System.out.println("  then the loaded value is written to both layers.");
    }
  }

  /** A second instance (its own cache manager and memory layer) on the same Redis and bus. */
  private static void twoInstances(CachingProvider provider, LayerCacheConfiguration<String, String> config,
      Cache<String, String> onA) throws InterruptedException {
    section("5. Two instances, one Redis, the invalidation bus");
    try (CacheManager other = provider.getCacheManager(URI.create("quickstart:instance-b"),
        Quickstart.class.getClassLoader())) {
      Cache<String, String> onB = other.createCache("users", config);
      LayerCache<String, String> b = onB.unwrap(LayerCache.class);
      onA.put("user:7", "v0");
      System.out.println("  A put user:7 = v0; B reads " + onB.get("user:7") + " (from Redis; now in B's memory too)");
      List<Double> millis = new ArrayList<>();
      for (int round = 1; round <= 20; round++) {
        while (!b.entryInfo("user:7").map(info -> info.layer().equals("memory")).orElse(false)) {
          onB.get("user:7"); // a read that raced the last change is not copied to memory: read again
        }
        long began = System.nanoTime();
        onA.put("user:7", "v" + round);
        while (b.entryInfo("user:7").map(info -> info.layer().equals("memory")).orElse(false)) {
          Thread.onSpinWait();
        }
        millis.add((System.nanoTime() - began) / 1e6);
      }
      millis.sort(null);
      System.out.printf("  20 times: A puts a new value; B's memory copy is dropped by the bus after %.2f ms (median),"
          + " %.2f ms (max)%n  B reads %s%n", millis.get(10), millis.get(19), onB.get("user:7"));
    }
  }

  /** REDIS_URL when set, else a server answering PING on 127.0.0.1:6379, else null. */
  private static String findRedis() {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return url;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 200);
      socket.setSoTimeout(500);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = socket.getInputStream().readNBytes(5);
      return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII)) ? "redis://127.0.0.1:6379" : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String stackOf(LayerCache<?, ?> cache) {
    return String.join(" -> ", cache.layerStatistics().stream().map(LayerStatistics::layer).toList());
  }

  private static void section(String title) {
    System.out.println();
    System.out.println(title);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
