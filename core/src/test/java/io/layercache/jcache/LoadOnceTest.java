package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.LayerCache;
import io.layercache.coordinator.ReentrantLoadException;
import io.layercache.event.CacheEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

class LoadOnceTest extends CacheFixture {

  @Test
  void hundredConcurrentCallersShareOneLoaderCall() throws Exception {
    LayerCache<String, String> cache = layered(stringCache("load-once"));
    AtomicInteger joined = new AtomicInteger();
    cache.subscribe(event -> {
      if (event instanceof CacheEvent.InFlightJoined<String>) {
        joined.incrementAndGet();
      }
    });
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loaderCalls = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(100);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        results.add(pool.submit(() -> cache.get("user:1", key -> {
          loaderCalls.incrementAndGet();
          release.await();
          return "Ada";
        })));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> joined.get() == 99);
      release.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("Ada");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loaderCalls).hasValue(1);
    assertThat(cache.asJCache().get("user:1")).isEqualTo("Ada");
  }

  @Test
  void loaderFailureReachesEveryWaiterAndIsNotCached() throws Exception {
    LayerCache<String, String> cache = layered(stringCache("load-failure"));
    AtomicInteger joined = new AtomicInteger();
    cache.subscribe(event -> {
      if (event instanceof CacheEvent.InFlightJoined<String>) {
        joined.incrementAndGet();
      }
    });
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        results.add(pool.submit(() -> cache.get("k", key -> {
          release.await();
          throw new java.io.IOException("origin down");
        })));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> joined.get() == 9);
      release.countDown();
      for (Future<String> result : results) {
        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(CacheLoaderException.class)
            .hasRootCauseMessage("origin down");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.asJCache().containsKey("k")).isFalse();
    assertThat(cache.get("k", key -> "recovered")).isEqualTo("recovered");
  }

  @Test
  void nullFromLoaderIsReturnedAndNotCached() {
    LayerCache<String, String> cache = layered(stringCache("load-null"));
    AtomicInteger calls = new AtomicInteger();
    assertThat(cache.get("missing", key -> {
      calls.incrementAndGet();
      return null;
    })).isNull();
    assertThat(cache.get("missing", key -> {
      calls.incrementAndGet();
      return null;
    })).isNull();
    assertThat(calls).hasValue(2);
    assertThat(cache.asJCache().containsKey("missing")).isFalse();
  }

  @Test
  void loaderReadingItsOwnKeyFailsInsteadOfDeadlocking() {
    LayerCache<String, String> cache = layered(stringCache("reentrant"));
    assertThatThrownBy(() -> cache.get("self", key -> cache.get("self", inner -> "never")))
        .isInstanceOf(ReentrantLoadException.class)
        .hasMessageContaining("re-entered the cache for the same key");
    assertThat(cache.get("self", key -> "fine")).isEqualTo("fine");
  }

  @Test
  void readThroughGetSharesTheSameSingleFlight() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Cache<String, String> cache = manager.createCache("read-through",
        new io.layercache.LayerCacheConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setReadThrough(true)
            .setCacheLoaderFactory(() -> new SlowLoader(loads, release)));
    AtomicInteger joined = new AtomicInteger();
    layered(cache).subscribe(event -> {
      if (event instanceof CacheEvent.InFlightJoined<String>) {
        joined.incrementAndGet();
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add(pool.submit(() -> cache.get("key")));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> joined.get() == 19);
      release.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded:key");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  /** A read-through loader that blocks until released. */
  static final class SlowLoader implements javax.cache.integration.CacheLoader<String, String> {
    private final AtomicInteger loads;
    private final CountDownLatch release;

    SlowLoader(AtomicInteger loads, CountDownLatch release) {
      this.loads = loads;
      this.release = release;
    }

    @Override
    public String load(String key) {
      loads.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "loaded:" + key;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      java.util.Map<String, String> result = new java.util.HashMap<>();
      keys.forEach(k -> result.put(k, load(k)));
      return result;
    }
  }
}
