package io.layercache.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.support.NullValue;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example on memory over a real Redis (profile {@code redis}): two application instances, the
 * test's context and a second one started here, share the Redis layer and the invalidation bus.
 */
@ExtendWith(RedisServerExtension.class)
@SpringBootTest(classes = BookstoreApplication.class)
@ActiveProfiles("redis")
@DirtiesContext
class BookstoreOnRedisIT {

  private static RedisServer redis;
  private static ConfigurableApplicationContext other;

  @Autowired BookCatalog catalog;
  @Autowired CacheManager caches;

  @BeforeAll
  static void startRedis(RedisServer server) {
    redis = server;
  }

  @DynamicPropertySource
  static void redisAddress(DynamicPropertyRegistry registry) {
    registry.add("layercache.default.redis.address", () -> redis.uri());
  }

  @AfterAll
  static void stopOtherInstance() {
    if (other != null) {
      other.close();
    }
  }

  @Test
  void anInstanceStartedLaterGetsTheValuesFromRedisWithoutReadingItsRepository() {
    Book byId = catalog.book(2);
    Book byIsbn = catalog.byIsbn("978-0-06-051275-8");

    // Started after the writes, so its memory layer is empty and no bus message primed it.
    try (ConfigurableApplicationContext later = startInstance()) {
      BookCatalog laterCatalog = later.getBean(BookCatalog.class);
      assertThat(laterCatalog.book(2)).isEqualTo(byId);
      assertThat(laterCatalog.byIsbn("978-0-06-051275-8")).isEqualTo(byIsbn);

      assertThat(later.getBean(BookRepository.class).reads()).isZero();
      assertThat(redisLayerHits(later.getBean(CacheManager.class), "books-by-isbn")).isEqualTo(1);
    }
  }

  @Test
  void aCachedNullTravelsThroughRedisAndComesBackAsNullValue() {
    assertThat(catalog.byIsbn("000-none")).isNull();
    int otherReads = other().getBean(BookRepository.class).reads();

    assertThat(other().getBean(BookCatalog.class).byIsbn("000-none")).isNull();

    assertThat(other().getBean(BookRepository.class).reads()).isEqualTo(otherReads);
    assertThat(otherCaches().getCache("books-by-isbn").get("000-none")).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void anEvictionOnOneInstanceReachesTheOtherInstancesMemoryLayer() {
    catalog.book(1);
    other().getBean(BookCatalog.class).book(1);
    assertThat(otherCaches().getCache("books").containsKey(1L)).isTrue();

    catalog.rename(1, "Renamed on the first instance");

    // Gone from Redis at once; from the other instance's memory layer when the bus message lands.
    await().atMost(Duration.ofSeconds(5)).until(() -> !otherCaches().getCache("books").containsKey(1L));
  }

  private static ConfigurableApplicationContext other() {
    if (other == null) {
      other = startInstance();
    }
    return other;
  }

  private static ConfigurableApplicationContext startInstance() {
    return new SpringApplicationBuilder(BookstoreApplication.class)
        .web(WebApplicationType.NONE)
        .profiles("redis")
        .properties("layercache.default.redis.address=" + redis.uri())
        .run();
  }

  private static CacheManager otherCaches() {
    return other().getBean(CacheManager.class);
  }

  private static long redisLayerHits(CacheManager manager, String cache) {
    LayerCache<?, ?> layered = manager.getCache(cache).unwrap(LayerCache.class);
    return layered.layerStatistics().get(1).hits();
  }
}
