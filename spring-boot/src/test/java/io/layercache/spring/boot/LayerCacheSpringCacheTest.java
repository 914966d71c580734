package io.layercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.support.NullValue;

/** A synchronized load through Spring's Cache API runs on LayerCache's loading path. */
class LayerCacheSpringCacheTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LayerCacheAutoConfiguration.class, CacheAutoConfiguration.class))
      .withUserConfiguration(LayerCacheAutoConfigurationTest.CachingOn.class)
      .withPropertyValues("layercache.default.statistics=true"); // the per-layer counters count while on

  @Test
  void aSynchronizedLoadRunsOnceAndCountsAsALayerCacheLoad() {
    runner.run(context -> {
      Cache books = context.getBean(CacheManager.class).getCache("books");
      AtomicInteger calls = new AtomicInteger();

      assertThat(books.get(1L, () -> "Dune #" + calls.incrementAndGet())).isEqualTo("Dune #1");
      assertThat(books.get(1L, () -> "Dune #" + calls.incrementAndGet())).isEqualTo("Dune #1");

      assertThat(books).isInstanceOf(LayerCacheSpringCache.class);
      LayerCache<?, ?> layered = ((javax.cache.Cache<?, ?>) books.getNativeCache()).unwrap(LayerCache.class);
      // Spring's entry-processor path would leave the layer statistics untouched.
      assertThat(layered.layerStatistics().get(0).hits()).isEqualTo(1);
      assertThat(calls).hasValue(1);
    });
  }

  @Test
  void aNullResultIsCachedAsNullValue() {
    runner.run(context -> {
      Cache books = context.getBean(CacheManager.class).getCache("books");
      AtomicInteger calls = new AtomicInteger();

      String loaded = books.get(2L, () -> {
        calls.incrementAndGet();
        return null;
      });
      assertThat(loaded).isNull();
      assertThat(books.get(2L, () -> "never called")).isNull();

      assertThat(calls).hasValue(1);
      @SuppressWarnings("unchecked")
      javax.cache.Cache<Object, Object> jcache = (javax.cache.Cache<Object, Object>) books.getNativeCache();
      assertThat(jcache.get(2L)).isSameAs(NullValue.INSTANCE);
    });
  }

  @Test
  void theLoadersOwnExceptionReachesTheCallerAndNothingIsCached() {
    runner.run(context -> {
      Cache books = context.getBean(CacheManager.class).getCache("books");
      IOException down = new IOException("origin down");

      assertThatThrownBy(() -> books.get(3L, () -> {
        throw down;
      })).isInstanceOf(Cache.ValueRetrievalException.class).hasCause(down);

      assertThat(books.get(3L)).isNull();
    });
  }

  @Test
  void failSafeSetByPropertiesServesTheLastGoodValueWhenTheMethodFails() {
    runner.withPropertyValues("layercache.caches.quotes.fail-safe.enabled=true",
        "layercache.caches.quotes.entry.ttl=200ms").run(context -> {
          Cache quotes = context.getBean(CacheManager.class).getCache("quotes");
          @SuppressWarnings("unchecked")
          javax.cache.Cache<Object, Object> jcache = (javax.cache.Cache<Object, Object>) quotes.getNativeCache();
          assertThat(quotes.get("q", () -> "last good")).isEqualTo("last good");
          await().atMost(Duration.ofSeconds(5)).until(() -> !jcache.containsKey("q"));

          String served = quotes.get("q", () -> {
            throw new IOException("origin down");
          });

          assertThat(served).isEqualTo("last good");
        });
  }
}
