package io.layercache.examples;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
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
 * per-layer statistics.
 */
public final class Quickstart {

  private Quickstart() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) throws Exception {
    CachingProvider provider = Caching.getCachingProvider();
    try (CacheManager manager = provider.getCacheManager()) {
      Cache<String, String> users = manager.createCache("users",
          new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class));
      LayerCache<String, String> layered = users.unwrap(LayerCache.class);

      System.out.println("LayerCache quickstart");
      System.out.println("  provider: " + provider.getClass().getName());
      System.out.println("  stack:    " + stackOf(layered) + " (memory only: add layercache-redis for L2)");

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

      section("4. Per-layer statistics");
      for (LayerStatistics stats : layered.layerStatistics()) {
        System.out.printf("  %-8s hits=%d misses=%d writes=%d hit-rate=%.0f%%%n",
            stats.layer(), stats.hits(), stats.misses(), stats.writes(), stats.hitRate() * 100);
      }
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
