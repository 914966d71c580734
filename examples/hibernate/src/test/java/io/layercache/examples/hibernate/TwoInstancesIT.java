package io.layercache.examples.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.examples.hibernate.model.Product;
import io.layercache.testsupport.FreePorts;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the catalog in two JVM processes, sharing one H2 server database and one real
 * Redis, with the example's own LayerCache file (memory -> Redis, {@code bus.type = redis}). Each
 * instance holds entries in its memory layer; a commit on one must reach the other's reads:
 * updates, deletes, collection changes, query results and evictions, in both directions.
 * Without the bus, the instance holding the old state in memory would serve it until evicted.
 */
@ExtendWith(RedisServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT {

  private static final Duration PROPAGATION = Duration.ofSeconds(10);
  private static final String PRODUCTS = Product.class.getName();

  private Server database;
  private NodeProcess a;
  private NodeProcess b;

  @BeforeAll
  void startTwoInstances(RedisServer redis, @TempDir Path directory) throws SQLException, IOException {
    int port = FreePorts.find(false);
    database = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists",
        "-baseDir", directory.resolve("h2").toString()).start();
    String jdbcUrl = "jdbc:h2:tcp://127.0.0.1:" + port + "/catalog";
    URI file = TestFiles.layerCacheFile(directory, redis, "two-instances");
    Path logs = Files.createDirectories(Path.of("target", "catalog-node-logs"));
    a = NodeProcess.start("a", jdbcUrl, file, logs.resolve("a.log"));
    a.ask("SEED 6");
    b = NodeProcess.start("b", jdbcUrl, file, logs.resolve("b.log"));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {a, b}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
    if (database != null) {
      database.stop();
    }
  }

  @Test
  void anUpdateOnOneInstanceIsReadOnTheOtherWhichHeldTheOldStateInMemory() {
    assertThat(name(b, 1)).isEqualTo("Product 1");
    long memoryHits = Long.parseLong(b.ask("MEMORY_HITS " + PRODUCTS));
    assertThat(name(b, 1)).isEqualTo("Product 1");
    assertThat(Long.parseLong(b.ask("MEMORY_HITS " + PRODUCTS))).as("B's second read came from its memory layer")
        .isGreaterThan(memoryHits);

    a.ask("RENAME 1 Product 1 renamed on A");

    await().atMost(PROPAGATION).until(() -> name(b, 1), "Product 1 renamed on A"::equals);
    // The new state is in the shared cache: B reads it without SQL (a read in the sub-millisecond
    // window before the last bus message arrives may still find A's soft lock and go to the database).
    await().atMost(PROPAGATION).until(() -> {
      long statements = b.statements();
      return name(b, 1).equals("Product 1 renamed on A") && b.statements() == statements;
    });
  }

  @Test
  void aDeleteOnOneInstanceIsSeenOnTheOther() {
    assertThat(name(b, 2)).isEqualTo("Product 2");
    assertThat(name(b, 2)).isEqualTo("Product 2");

    a.ask("DELETE 2");

    await().atMost(PROPAGATION).until(() -> b.ask("FIND 2"), "-"::equals);
    assertThat(b.ask("REVIEWS 2")).isEqualTo("0");
  }

  @Test
  void collectionAndNonstrictChangesOnTheSecondInstanceReachTheFirst() {
    assertThat(a.ask("REVIEWS 3")).isEqualTo("2");
    assertThat(a.ask("REVIEWS 3")).isEqualTo("2");
    assertThat(a.ask("FIND 3")).endsWith("|Books");

    b.ask("ADD_REVIEW 3 399");
    b.ask("RENAME_CATEGORY 1 Classics");

    await().atMost(PROPAGATION).until(() -> a.ask("REVIEWS 3"), "3"::equals);
    await().atMost(PROPAGATION).until(() -> a.ask("FIND 3"), found -> found.endsWith("|Classics"));
  }

  @Test
  void aCachedQueryOnOneInstanceIsRunAgainAfterTheOtherChangesItsTable() {
    assertThat(b.ask("CHEAP 45")).contains("Product 4");
    long statements = b.statements();
    assertThat(b.ask("CHEAP 45")).contains("Product 4");
    assertThat(b.statements()).as("B's second query is answered by its query cache").isEqualTo(statements);

    a.ask("REPRICE 4 100");

    await().atMost(PROPAGATION).until(() -> b.ask("CHEAP 45"), names -> !names.contains("Product 4"));
  }

  @Test
  void evictEntityDataOnOneInstanceEmptiesTheRegionOnTheOther() {
    assertEvictionReachesB(6, "EVICT_PRODUCTS");
  }

  @Test
  void evictAllOnOneInstanceEmptiesTheEntityRegionsOnTheOther() {
    assertEvictionReachesB(5, "EVICT_ALL");
  }

  /** B caches the product; A evicts; B's reads of it reach the database again. */
  private void assertEvictionReachesB(long product, String eviction) {
    name(b, product);
    long statements = b.statements();
    name(b, product);
    assertThat(b.statements()).as("cached on B").isEqualTo(statements);

    a.ask(eviction);

    await().atMost(PROPAGATION).until(() -> {
      name(b, product);
      return b.statements() > statements;
    });
  }

  private static String name(NodeProcess node, long product) {
    return node.ask("FIND " + product).split("\\|")[0];
  }
}
