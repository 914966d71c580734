package io.layercache.examples.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.UUID;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/** The JSR-107 annotations on Quarkus ArC, through layercache-cdi, on the produced cache manager. */
@QuarkusTest
class ExchangeRatesTest {

  @Inject
  ExchangeRates rates;

  @Inject
  RateSource source;

  @Inject
  CacheManager manager;

  @Test
  void theCachedMethodRunsOncePerKey() {
    String currency = currency();
    int before = source.requests();

    BigDecimal first = rates.rate(currency, "USD");
    BigDecimal second = rates.rate(currency, "USD");
    rates.rate(currency, "JPY");

    assertThat(second).isEqualTo(first);
    assertThat(source.requests() - before).isEqualTo(2);
  }

  @Test
  void theRatesCacheIsLayerCachesFromTheHoconFile() {
    rates.rate(currency(), "USD");

    LayerCache<?, ?> cache = manager.getCache("rates").unwrap(LayerCache.class);

    assertThat(cache.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory");
    assertThat(manager.getCache("rates").iterator()).toIterable().isNotEmpty();
  }

  @Test
  void cachePutReplacesTheRateWithoutAskingTheSource() {
    String currency = currency();
    rates.rate(currency, "USD");
    int before = source.requests();

    rates.override(currency, "USD", BigDecimal.TEN);

    assertThat(rates.rate(currency, "USD")).isEqualTo(BigDecimal.TEN);
    assertThat(source.requests()).isEqualTo(before);
  }

  @Test
  void cacheRemoveAllMakesTheNextCallAskAgain() {
    String currency = currency();
    rates.rate(currency, "USD");
    int before = source.requests();

    rates.reset();
    rates.rate(currency, "USD");

    assertThat(source.requests() - before).isEqualTo(1);
  }

  private static String currency() {
    return "X" + UUID.randomUUID();
  }
}
