package io.layercache.examples.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the example (two Weld containers, each with its own cache manager and
 * database) on {@code layercache-redis.conf} against a real Redis: what one instance caches, the
 * other serves from Redis without reading its database, and a change on one reaches the other's
 * memory layer through the invalidation bus. Each instance's file only includes the shipped one
 * and points it at this test's Redis.
 */
@ExtendWith(RedisServerExtension.class)
class CatalogOnRedisTest {

  private static WeldContainer first;
  private static WeldContainer second;

  @BeforeAll
  static void startTwoInstances(RedisServer redis, @TempDir Path directory) throws IOException {
    String namespace = "cdi-" + UUID.randomUUID();
    first = start("first", redis, namespace, directory);
    second = start("second", redis, namespace, directory);
  }

  @AfterAll
  static void stop() {
    List.of(first, second).forEach(WeldContainer::close);
    System.clearProperty(CacheManagerProducer.CONFIG_PROPERTY);
  }

  @Test
  void theSecondInstanceServesFromRedisWhatTheFirstRead() {
    String id = writeToBothDatabases("Teapot");

    assertThat(catalog(first).find(id).name()).isEqualTo("Teapot");
    assertThat(catalog(second).find(id).name()).isEqualTo("Teapot");
    assertThat(catalog(second).find(id).name()).isEqualTo("Teapot");

    assertThat(database(first).reads()).isPositive();
    assertThat(readsOf(second, () -> catalog(second).find(id))).isZero();
  }

  @Test
  void aProductSavedOnOneInstanceReachesTheOther() {
    String id = writeToBothDatabases("Kettle");
    catalog(first).find(id);
    catalog(second).find(id);

    catalog(first).save(id, new Product(id, "Kettle, steel", 4_200));

    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(catalog(second).find(id).name()).isEqualTo("Kettle, steel"));
  }

  @Test
  void aProductDeletedOnOneInstanceIsReadAgainOnTheOther() {
    String id = writeToBothDatabases("Whisk");
    catalog(first).find(id);
    catalog(second).find(id);

    catalog(first).delete(id);
    database(second).delete(id);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(catalog(second).find(id)).isNull());
  }

  private static WeldContainer start(String name, RedisServer redis, String namespace, Path directory)
      throws IOException {
    Path file = Files.writeString(directory.resolve(name + ".conf"), """
        include classpath("layercache-redis.conf")
        layercache.default.redis { address = "%s", namespace = "%s" }
        """.formatted(redis.uri(), namespace));
    System.setProperty(CacheManagerProducer.CONFIG_PROPERTY, file.toUri().toString());
    WeldContainer container = new Weld(name + "-" + UUID.randomUUID()).initialize();
    catalog(container).forgetAll(); // the first cached call: this instance's manager reads this file now
    return container;
  }

  private static String writeToBothDatabases(String name) {
    String id = "p-" + UUID.randomUUID();
    database(first).write(new Product(id, name, 100));
    database(second).write(new Product(id, name, 100));
    return id;
  }

  private static int readsOf(WeldContainer container, Runnable action) {
    int before = database(container).reads();
    action.run();
    return database(container).reads() - before;
  }

  private static ProductCatalog catalog(WeldContainer container) {
    return container.select(ProductCatalog.class).get();
  }

  private static ProductDatabase database(WeldContainer container) {
    return container.select(ProductDatabase.class).get();
  }
}
