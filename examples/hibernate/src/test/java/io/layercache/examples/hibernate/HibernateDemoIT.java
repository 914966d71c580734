package io.layercache.examples.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.examples.hibernate.HibernateDemo.Step;
import io.layercache.examples.hibernate.model.Category;
import io.layercache.examples.hibernate.model.Product;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo on memory over a real Redis, with the example's own HOCON file: every claim a
 * step's title makes is checked against Hibernate's counters, and every region's entries reach
 * Redis through the allow-list of the file.
 */
@ExtendWith(RedisServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HibernateDemoIT {

  private RedisServer redis;
  private final String namespace = "demo-" + UUID.randomUUID();
  private List<Step> steps;

  @BeforeAll
  void runTheDemo(RedisServer redis, @TempDir Path directory) {
    this.redis = redis;
    CatalogSettings settings = CatalogSettings.inMemory(namespace, TestFiles.layerCacheFile(directory, redis, namespace));
    try (Catalog catalog = Catalog.start(settings)) {
      steps = new HibernateDemo(catalog).run();
      steps.forEach(step -> System.out.println(step.title() + " -> " + step.result() + " [" + step.cost() + "]"));
    }
  }

  private Step step(String titleStart) {
    return steps.stream().filter(step -> step.title().startsWith(titleStart)).findFirst()
        .orElseThrow(() -> new AssertionError("no step starting with '" + titleStart + "' in " + steps));
  }

  @Test
  void secondReadsOfEntitiesCollectionsAndQueriesRunNoSql() {
    assertThat(step("read product 1 (first read").cost().statements()).isEqualTo(1);
    assertThat(step("read product 1 again").cost().statements()).isZero();
    assertThat(step("read product 1 again").cost().hits()).isPositive();
    // first reviews read: one statement; the second: none
    assertThat(step("read product 1's reviews twice").cost().statements()).isEqualTo(1);
    assertThat(step("query products under 20 twice").cost().statements()).isEqualTo(1);
    assertThat(step("query products under 20 twice").cost().queryHits()).isEqualTo(1);
  }

  @Test
  void aReadWriteUpdateIsReadBackFromTheCacheWithItsNewState() {
    Step read = step("read product 1 (new name");

    assertThat(read.result()).startsWith("Emma (Penguin Classics)");
    assertThat(read.cost().statements()).isZero();
  }

  @Test
  void aNonstrictReadWriteUpdateEvictsTheEntryAndTheNextReadLoadsTheNewState() {
    Step read = step("read product 1 (its category");

    assertThat(read.result()).endsWith("category Classics");
    assertThat(read.cost().statements()).isEqualTo(1);
    assertThat(read.cost().misses()).isEqualTo(1);
  }

  @Test
  void deletedRowsAndChangedTablesAreNotServedFromTheCache() {
    assertThat(step("read product 2 (gone").result()).isEqualTo("no such product");
    Step query = step("query products under 20 (its table changed");
    assertThat(query.result()).isEqualTo("[Emma (Penguin Classics)]");
    assertThat(query.cost().queryHits()).isZero();
    assertThat(query.cost().statements()).isEqualTo(1);
  }

  @Test
  void evictedRegionsSendTheNextReadToTheDatabase() {
    assertThat(step("evictEntityData").cost().statements()).isEqualTo(1);
    // product 3 and its category: both entity regions were emptied
    assertThat(step("evictAll()").cost().statements()).isEqualTo(2);
    assertThat(step("evictAll()").cost().misses()).isEqualTo(2);
  }

  @Test
  void everyRegionIsStoredInRedisThroughTheAllowList() {
    @SuppressWarnings("unchecked")
    List<Object> keys = (List<Object>) redis.command("KEYS", namespace + ":*");
    String all = keys.stream()
        .map(key -> key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(key))
        .collect(Collectors.joining("\n"));

    assertThat(all).contains(Product.class.getName(), Product.REVIEWS, Category.class.getName(),
        "default-query-results-region", "default-update-timestamps-region");
  }
}
