package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerStatistics;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cache writer ran more than once per operation on the memory+Redis stack: JCache semantics
 * and write-through ran inside the Redis compare-and-set loop, which re-runs when another
 * instance wins the race. A user's writer (an audit log, a database row) must see one call per
 * successful operation, whatever the contention.
 */
@ExtendWith(RedisServerExtension.class)
class WriteThroughOnceIT extends RedisStackFixture {

  /** Counts writer calls across both instances. */
  public static final class CountingWriter implements CacheWriter<String, String>, java.io.Serializable {
    static final AtomicLong WRITES = new AtomicLong();
    static final AtomicLong DELETES = new AtomicLong();

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      WRITES.incrementAndGet();
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.forEach(this::write);
      entries.clear();
    }

    @Override
    public void delete(Object key) {
      DELETES.incrementAndGet();
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      keys.forEach(this::delete);
      keys.clear();
    }
  }

  private final RedisServer redis;

  WriteThroughOnceIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void reset() {
    redis.flushAll();
    CountingWriter.WRITES.set(0);
    CountingWriter.DELETES.set(0);
  }

  @Test
  void concurrentWritersOnTwoInstancesCallTheWriterOncePerOperation() throws Exception {
    CacheManager a = instance();
    CacheManager b = instance();
    List<Cache<String, String>> caches = onEach("audited", RedisStackFixture.<String, String>memoryAndRedis(redis)
        .setTypes(String.class, String.class).setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(CountingWriter.class)), a, b);
    int threadsPerInstance = 4;
    int putsPerThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threadsPerInstance * 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    try {
      for (Cache<String, String> cache : caches) {
        for (int t = 0; t < threadsPerInstance; t++) {
          int thread = t;
          work.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < putsPerThread; i++) {
              String key = "hot-" + (i % 4); // four hot keys: compare-and-set races on every one
              cache.put(key, "v" + thread + "-" + i);
              if (i % 10 == 0) {
                cache.remove(key);
              }
            }
            return null;
          }));
        }
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long puts = 2L * threadsPerInstance * putsPerThread;
    long removes = 2L * threadsPerInstance * (putsPerThread / 10);
    long retries = caches.stream().mapToLong(c -> layered(c).layerStatistics().get(1).detail("cas-retries")).sum();
    assertThat(retries).as("the test made instances race (compare-and-set retries)").isPositive();
    assertThat(CountingWriter.WRITES.get()).as("writer.write calls for %d puts", puts).isEqualTo(puts);
    assertThat(CountingWriter.DELETES.get()).as("writer.delete calls for %d removes", removes).isEqualTo(removes);
  }
}
