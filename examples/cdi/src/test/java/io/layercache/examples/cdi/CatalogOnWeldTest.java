package io.layercache.examples.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import java.util.List;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example as it ships: Weld SE, the annotations on {@link ProductCatalog}, and the memory-only
 * {@code layercache.conf}. The tests share the container and use products of their own.
 */
class CatalogOnWeldTest {

  private static WeldContainer container;
  private static ProductCatalog catalog;
  private static ProductDatabase database;

  @BeforeAll
  static void start() {
    System.clearProperty(CacheManagerProducer.CONFIG_PROPERTY);
    container = new Weld("catalog-memory-" + UUID.randomUUID()).initialize();
    catalog = container.select(ProductCatalog.class).get();
    database = container.select(ProductDatabase.class).get();
  }

  @AfterAll
  static void stop() {
    container.close();
  }

  @Test
  void repeatedFindsReadTheDatabaseOnce() {
    String id = newProduct("Mug");
    int before = database.reads();

    Product first = catalog.find(id);
    Product second = catalog.find(id);
    Product third = catalog.find(id);

    assertThat(List.of(first, second, third)).extracting(Product::name).containsOnly("Mug");
    assertThat(database.reads() - before).isEqualTo(1);
  }

  @Test
  void theCacheIsTheOneTheHoconFileDeclares() {
    String id = newProduct("Jug");
    catalog.find(id);

    Cache<?, ?> products = container.select(CacheManager.class).get().getCache("products");
    LayerCache<?, ?> layered = products.unwrap(LayerCache.class);

    assertThat(layered.layerStatistics()).extracting(s -> s.layer()).containsExactly("memory");
    assertThat(products.iterator()).toIterable().isNotEmpty();
  }

  @Test
  void savePutsTheNewVersionWithoutAnotherRead() {
    String id = newProduct("Cup");
    catalog.find(id);
    int before = database.reads();

    catalog.save(id, new Product(id, "Cup, blue", 300));

    assertThat(catalog.find(id).name()).isEqualTo("Cup, blue");
    assertThat(database.reads()).isEqualTo(before);
  }

  @Test
  void deleteRemovesTheEntrySoTheNextFindReadsAgain() {
    String id = newProduct("Bowl");
    catalog.find(id);
    int before = database.reads();

    catalog.delete(id);

    assertThat(catalog.find(id)).isNull();
    assertThat(database.reads() - before).isEqualTo(1);
  }

  @Test
  void forgetAllEmptiesTheCache() {
    String id = newProduct("Plate");
    catalog.find(id);
    int before = database.reads();

    catalog.forgetAll();
    catalog.find(id);

    assertThat(database.reads() - before).isEqualTo(1);
  }

  private static String newProduct(String name) {
    String id = "p-" + UUID.randomUUID();
    database.write(new Product(id, name, 100));
    return id;
  }
}
