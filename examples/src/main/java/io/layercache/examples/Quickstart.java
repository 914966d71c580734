package io.layercache.examples;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisLayerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
      LayerCacheConfiguration<String, String> config =
          new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class);
      if (redis != null) {
        config.setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(redis).withNamespace("quickstart"));
      }
      Cache<String, String> users = manager.createCache("users", config);
      users.clear();
      LayerCache<String, String> layered = users.unwrap(LayerCache.class);

      System.out.println("LayerCache quickstart");
      System.out.println("  provider: " + provider.getClass().getName());
      System.out.println("  stack:    " + stackOf(layered) + (redis == null
          ? " (no Redis found: set REDIS_URL or start redis-server on 127.0.0.1:6379 for memory -> redis)"
          : " (Redis at " + redis + ")"));

      section("1. Plain JCache");
      users.put("user:1", "Ada Lovelace");
      System.out.println("  put user:1, get user:1 -> " + users.get("user:1"));
      System.out.println("  get user:2 (absent)    -> " + users.get("user:2"));

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

      section("3. Tags: invalidate every entry of a tag with one call");
      layered.set("post:1", "Hello", EntryOptions.defaults().withTags("posts", "author:7"));
      layered.set("post:2", "World", EntryOptions.defaults().withTags("posts", "author:8"));
      layered.set("session:9", "token", EntryOptions.defaults().withTtl(Duration.ofMinutes(30)));
      layered.invalidateByTag("author:7");
      System.out.println("  after invalidateByTag(\"author:7\"): post:1 -> " + users.get("post:1")
          + ", post:2 -> " + users.get("post:2"));
      System.out.println("  session:9 expires at " + layered.entryInfo("session:9").orElseThrow().expiresAt());

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
      if (redis != null) {
        System.out.println("  Redis sees only the memory layer's misses: each first read looks there (empty),");
        System.out.println("  then the loaded value is written to both layers.");
      }
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
