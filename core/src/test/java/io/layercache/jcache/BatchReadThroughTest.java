package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.CacheFixture;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListenerFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code getAll} and {@code loadAll} used to call the cache loader directly, bypassing
 * single-flight and negative caching: a batch read could stampede the origin. They go through
 * the load path now: one batch call for the keys nobody else is loading, joins for the rest.
 */
class BatchReadThroughTest extends CacheFixture {

  /** Counts loads per key; blocks every load until released. */
  public static final class CountingLoader implements CacheLoader<String, String>, java.io.Serializable {
    static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();
    static final AtomicInteger BATCH_CALLS = new AtomicInteger();
    static volatile CountDownLatch release = new CountDownLatch(0);

    @Override
    public String load(String key) {
      return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      BATCH_CALLS.incrementAndGet();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Map<String, String> result = new HashMap<>();
      for (String key : keys) {
        LOADS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (!key.startsWith("missing")) {
          result.put(key, "v-" + key);
        }
      }
      return result;
    }
  }

  private Cache<String, String> cache(String name) {
    CountingLoader.LOADS.clear();
    CountingLoader.BATCH_CALLS.set(0);
    return manager.createCache(name, new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time).setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(CountingLoader.class))
        .setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofMinutes(1))));
  }

  @Test
  void concurrentBatchReadsOfOverlappingKeysLoadEachKeyOnce() throws Exception {
    Cache<String, String> cache = cache("batch-single-flight");
    CountingLoader.release = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<Map<String, String>>> reads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Set<String> keys = i % 2 == 0 ? Set.of("a", "b", "c") : Set.of("b", "c", "d");
        reads.add(callers.submit(() -> cache.getAll(keys)));
      }
      for (int i = 0; i < 8; i++) {
        reads.add(callers.submit(() -> Map.of("a", cache.get("a"))));
      }
      CountingLoader.release.countDown();
      for (Future<Map<String, String>> read : reads) {
        assertThat(read.get(10, TimeUnit.SECONDS)).allSatisfy((k, v) -> assertThat(v).isEqualTo("v-" + k));
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(CountingLoader.LOADS).allSatisfy((key, loads) -> assertThat(loads).as(key).hasValue(1));
    assertThat(CountingLoader.LOADS).containsOnlyKeys("a", "b", "c", "d");
  }

  @Test
  void aBatchReadRemembersKeysTheLoaderDidNotFind() {
    Cache<String, String> cache = cache("batch-negative");
    assertThat(cache.getAll(Set.of("x", "missing-1"))).containsOnly(Map.entry("x", "v-x"));
    assertThat(cache.getAll(Set.of("x", "missing-1"))).containsOnly(Map.entry("x", "v-x"));
    assertThat(cache.get("missing-1")).isNull();
    assertThat(CountingLoader.LOADS.get("missing-1")).as("remembered as not found").hasValue(1);
    assertThat(CountingLoader.BATCH_CALLS).as("one batch call for the first read only").hasValue(1);
  }

  @Test
  void loadAllJoinsALoadInFlightInsteadOfLoadingTheKeyAgain() throws Exception {
    Cache<String, String> cache = cache("load-all-join");
    CountingLoader.release = new CountDownLatch(1);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<String> read = reader.submit(() -> cache.get("k"));
      org.awaitility.Awaitility.await().until(() -> CountingLoader.BATCH_CALLS.get() == 1);
      CompletionListenerFuture done = new CompletionListenerFuture();
      cache.loadAll(Set.of("k"), false, done);
      CountingLoader.release.countDown();
      done.get(10, TimeUnit.SECONDS);
      assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("v-k");
    } finally {
      reader.shutdownNow();
    }
    assertThat(CountingLoader.LOADS.get("k")).hasValue(1);
  }

  /**
   * Read-through inside an entry processor called the loader directly, inside the key's section:
   * concurrent readers of the key loaded it again. It joins the key's one load now.
   */
  @Test
  void anEntryProcessorReadingAnAbsentKeySharesTheKeysOneLoad() throws Exception {
    Cache<String, String> cache = cache("invoke-single-flight");
    CountingLoader.release = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> reads = new ArrayList<>();
      reads.add(callers.submit(() -> cache.invoke("k", (entry, args) -> entry.getValue())));
      org.awaitility.Awaitility.await().until(() -> CountingLoader.BATCH_CALLS.get() == 1);
      for (int i = 0; i < 3; i++) {
        reads.add(callers.submit(() -> cache.get("k")));
      }
      CountingLoader.release.countDown();
      for (Future<String> read : reads) {
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("v-k");
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(CountingLoader.LOADS.get("k")).as("loads of k").hasValue(1);
    assertThat(cache.get("k")).isEqualTo("v-k");
  }
}
