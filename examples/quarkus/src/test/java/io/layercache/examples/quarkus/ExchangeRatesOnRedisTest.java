package io.layercache.examples.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.UUID;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/** The same annotations with the Redis layer under Quarkus: Redisson's Netty inside a Quarkus application. */
@QuarkusTest
@TestProfile(RedisProfile.class)
class ExchangeRatesOnRedisTest {

  @Inject
  ExchangeRates rates;

  @Inject
  RateSource source;

  @Inject
  CacheManager manager;

  @Test
  void aRateIsFetchedOnceAndWrittenToRedis() {
    String currency = "X" + UUID.randomUUID();
    LayerCache<?, ?> cache = manager.getCache("rates").unwrap(LayerCache.class);
    long redisWritesBefore = cache.layerStatistics().get(1).writes();
    int before = source.requests();

    rates.rate(currency, "USD");
    rates.rate(currency, "USD");

    assertThat(source.requests() - before).isEqualTo(1);
    assertThat(cache.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory", "redis");
    assertThat(cache.layerStatistics().get(1).writes() - redisWritesBefore).isEqualTo(1);
  }
}
