package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.CacheFixture;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

/**
 * A hard timeout leaked a thread per caller: 50 calls on one key whose loader hung left 50 live
 * threads, each running the loader again. A timed-out load must stay <em>the</em> load of its
 * key, so later callers join it instead of starting another, on a bounded pool.
 */
class HangingLoaderTest extends CacheFixture {

  @Test
  void callersOfAHangingLoaderJoinTheOneLoadInsteadOfStartingAThreadEach() throws Exception {
    LayerCache<String, String> cache = layered(manager.createCache("hanging",
        new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
            .setFailSafe(FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(50)))));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loaderCalls = new AtomicInteger();
    int loadThreadsBefore = loadThreads();
    ExecutorService callers = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(callers.submit(() -> assertThatThrownBy(() -> cache.get("k", key -> {
          loaderCalls.incrementAndGet();
          release.await();
          return "late";
        })).isInstanceOf(CacheLoaderException.class).hasMessageContaining("fail-safe.hard-timeout")));
      }
      for (Future<?> call : calls) {
        call.get();
      }
      assertThat(loaderCalls).as("one load for 50 timed-out callers").hasValue(1);
      assertThat(loadThreads() - loadThreadsBefore).as("threads running loads").isLessThanOrEqualTo(1);
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> "late".equals(cache.asJCache().get("k")));
    assertThat(cache.get("k", key -> "again")).as("the late value was stored when it arrived").isEqualTo("late");
    assertThat(loaderCalls).hasValue(1);
  }

  @Test
  void aCallerFindingEveryLoadThreadBusyGetsACacheLoaderExceptionNamingThePool() throws Exception {
    LayerCache<String, String> cache = layered(manager.createCache("saturated",
        new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
            .setFailSafe(FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(20)))));
    CountDownLatch release = new CountDownLatch(1);
    try {
      for (int i = 0; i < 64; i++) { // io.layercache.coordinator.BoundedPool.MAX_LOADS
        String key = "hang-" + i;
        assertThatThrownBy(() -> cache.get(key, k -> {
          release.await();
          return "late";
        })).isInstanceOf(CacheLoaderException.class);
      }
      assertThatThrownBy(() -> cache.get("one-more", k -> "v"))
          .isInstanceOf(CacheLoaderException.class).hasMessageContaining("load pool");
    } finally {
      release.countDown();
    }
  }

  private static int loadThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("layercache-load-")).count();
  }
}
