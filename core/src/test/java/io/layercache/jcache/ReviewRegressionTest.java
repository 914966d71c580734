package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.layercache.CacheFixture;
import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.Test;

/** Defects a review of the new cache core found, each stated as the promise it broke. */
class ReviewRegressionTest extends CacheFixture {

  /** Remembers the last value written per key, in the order the writer saw them. */
  public static final class LastValueWriter implements CacheWriter<String, String>, java.io.Serializable {
    static final Map<String, String> LAST = new ConcurrentHashMap<>();

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      LAST.put(entry.getKey(), entry.getValue());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.forEach(this::write);
      entries.clear();
    }

    @Override
    public void delete(Object key) {
      LAST.remove(key);
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      keys.forEach(this::delete);
      keys.clear();
    }
  }

  /** Loads "v-" + key. */
  public static final class EchoLoader implements javax.cache.integration.CacheLoader<String, String>,
      java.io.Serializable {
    @Override
    public String load(String key) {
      return "v-" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> values = new java.util.HashMap<>();
      keys.forEach(k -> values.put(k, load(k)));
      return values;
    }
  }

  /**
   * A plain put ran the writer outside the key's atomic section: two concurrent puts could leave
   * the writer's store with one value and the cache with the other.
   */
  @Test
  void concurrentPutsLeaveTheWriterAndTheCacheAgreeing() throws Exception {
    LastValueWriter.LAST.clear();
    Cache<String, String> cache = manager.createCache("writer-order", new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(LastValueWriter.class)));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> puts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          String value = "r" + round + "-t" + t;
          puts.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 20; i++) {
              cache.put("k", value + "-" + i);
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> put : puts) {
          put.get(10, TimeUnit.SECONDS);
        }
        assertThat(cache.get("k")).as("round %d", round).isEqualTo(LastValueWriter.LAST.get("k"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A batch read that failed while claiming its keys (a loader re-entering the cache for its own
   * key) left the keys it had claimed in flight for ever: later reads of them hung.
   */
  @Test
  void aBatchReadThatFailsMidwayLeavesNoKeyLoadingForEver() {
    LayerCache<String, String> cache = layered(manager.createCache("batch-reentry",
        new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class).setReadThrough(true)
            .setCacheLoaderFactory(FactoryBuilder.factoryOf(EchoLoader.class))));
    assertThatThrownBy(() -> cache.get("a", key -> {
      // claims b, then meets its own load of a on this thread
      cache.asJCache().getAll(new java.util.LinkedHashSet<>(List.of("b", "a")));
      return "never";
    })).isNotNull();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThat(cache.get("b", key -> "loaded")).isEqualTo("loaded"));
  }

  /**
   * Fail-safe cached the stale value again even when a remove happened while its load was
   * failing: the removed value came back, unannounced.
   */
  @Test
  void aRemoveDuringAFailingLoadIsNotUndoneByFailSafe() throws Exception {
    LayerCache<String, String> cache = layered(manager.createCache("fail-safe-remove",
        new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class).setTimeSource(time)
            .setFailSafe(FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30)))));
    cache.set("k", "old", EntryOptions.defaults().withTtl(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(11));
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch removed = new CountDownLatch(1);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<String> read = reader.submit(() -> cache.get("k", key -> {
        loading.countDown();
        removed.await();
        throw new IOException("origin down");
      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      cache.asJCache().remove("k");
      removed.countDown();
      assertThat(read.get(10, TimeUnit.SECONDS)).as("the reader still gets its fallback").isEqualTo("old");
    } finally {
      reader.shutdownNow();
    }
    assertThat(cache.asJCache().get("k")).as("the removed value stays removed").isNull();
    assertThat(cache.entryInfo("k")).isEmpty();
  }
}
