package io.layercache.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCacheConfiguration;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cache.support.NullValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The example's caching promises on the memory layer alone. */
@SpringBootTest(classes = {BookstoreApplication.class, BookstoreOnMemoryTest.Gate.class})
class BookstoreOnMemoryTest {

  private static final Set<Thread.State> WAITING = Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING,
      Thread.State.BLOCKED);

  @Autowired BookCatalog catalog;
  @Autowired PriceList prices;
  @Autowired GatedRepository repository;
  @Autowired CacheManager caches;

  @Test
  void concurrentCallersOfASyncCacheableShareOneRepositoryRead() throws Exception {
    int callers = 8;
    List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(callers, task -> {
      Thread thread = new Thread(task, "caller-" + threads.size());
      threads.add(thread);
      return thread;
    });
    CountDownLatch started = new CountDownLatch(callers);
    int readsBefore = repository.reads();
    repository.close();
    try {
      List<Future<Book>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          started.countDown();
          return catalog.book(2);
        }));
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(repository.awaitEntered()).isTrue();
      // Every caller is now inside book(2): one in the repository, the others waiting for it.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> threads.size() == callers
              && List.copyOf(threads).stream().allMatch(t -> WAITING.contains(t.getState())));
      repository.open();

      for (Future<Book> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).title()).isEqualTo("The Dispossessed");
      }
      assertThat(repository.reads() - readsBefore).isEqualTo(1);
    } finally {
      repository.open();
      pool.shutdownNow();
    }
  }

  @Test
  void aNullIsCachedAsSpringsNullValueAndComesBackAsNull() {
    int readsBefore = repository.reads();

    assertThat(catalog.byIsbn("000-unknown")).isNull();
    assertThat(catalog.byIsbn("000-unknown")).isNull();

    assertThat(repository.reads() - readsBefore).isEqualTo(1);
    assertThat(caches.getCache("books-by-isbn").get("000-unknown")).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void cacheEvictRemovesTheCachedBookSoTheNextReadSeesTheChange() {
    catalog.book(1);
    assertThat(caches.getCache("books").containsKey(1L)).isTrue();

    catalog.rename(1, "Renamed");

    assertThat(caches.getCache("books").containsKey(1L)).isFalse();
    assertThat(catalog.book(1).title()).isEqualTo("Renamed");
  }

  @Test
  void jsr107AnnotationsCacheAndRemoveInAnUndeclaredCacheMadeFromTheDefaultTemplate() {
    int lookupsBefore = prices.lookups();
    assertThat(prices.price(1)).isEqualByComparingTo("12.50");
    assertThat(prices.price(1)).isEqualByComparingTo("12.50");
    assertThat(prices.lookups() - lookupsBefore).isEqualTo(1);

    prices.changePrice(1, new BigDecimal("20.00"));

    assertThat(caches.getCache("prices").containsKey(1L)).isFalse();
    assertThat(prices.price(1)).isEqualByComparingTo("20.00");
    assertThat(prices.lookups() - lookupsBefore).isEqualTo(2);
    @SuppressWarnings("unchecked")
    LayerCacheConfiguration<Object, Object> template =
        caches.getCache("prices").getConfiguration(LayerCacheConfiguration.class);
    assertThat(template.getLayers()).containsExactly(MemoryLayerSpec.ofMaximumSize(10_000));
    assertThat(template.getDefaultEntryOptions().ttl()).isEqualTo(Duration.ofMinutes(10));
  }

  /** The repository, with a gate the concurrency test closes to hold a read in progress. */
  static class GatedRepository extends BookRepository {
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch entered = new CountDownLatch(1);

    /** From now on a read waits for {@link #open()}; {@link #awaitEntered} sees the first one. */
    void close() {
      entered = new CountDownLatch(1);
      gate = new CountDownLatch(1);
    }

    boolean awaitEntered() throws InterruptedException {
      return entered.await(10, TimeUnit.SECONDS);
    }

    void open() {
      gate.countDown();
    }

    @Override
    public Book byId(long id) {
      entered.countDown();
      try {
        if (!gate.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return super.byId(id);
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Gate {
    @Bean
    @Primary
    GatedRepository gatedRepository() {
      return new GatedRepository();
    }
  }
}
