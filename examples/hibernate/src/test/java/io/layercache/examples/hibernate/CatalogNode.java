package io.layercache.examples.hibernate;

import io.layercache.examples.hibernate.model.Category;
import io.layercache.examples.hibernate.model.Product;
import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheManager;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * One catalog instance in a JVM of its own, driven by a {@link NodeProcess}: reads one command per
 * line on standard input and answers each with exactly one line starting with {@code "@ "}
 * ({@code "@ ERROR ..."} when the command failed). Arguments: the JDBC URL and the LayerCache file.
 */
public final class CatalogNode {

  static final String REPLY = "@ ";

  private final Catalog catalog;

  private CatalogNode(Catalog catalog) {
    this.catalog = catalog;
  }

  public static void main(String[] args) throws IOException {
    System.setProperty("org.jboss.logging.provider", "slf4j");
    try (Catalog catalog = Catalog.start(new CatalogSettings(args[0], URI.create(args[1])))) {
      CatalogNode node = new CatalogNode(catalog);
      System.out.println(REPLY + "READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
        String reply;
        try {
          reply = node.execute(line.split(" ", 3));
        } catch (RuntimeException e) {
          e.printStackTrace();
          reply = "ERROR " + e;
        }
        System.out.println(REPLY + reply);
      }
    }
  }

  private String execute(String[] command) {
    return switch (command[0]) {
      case "SEED" -> seed(Integer.parseInt(command[1]));
      case "FIND" -> catalog.product(id(command)).map(p -> p.name() + "|" + p.price() + "|" + p.category()).orElse("-");
      case "REVIEWS" -> Integer.toString(catalog.reviews(id(command)).size());
      case "CHEAP" -> String.join(",", catalog.cheaperThan(new BigDecimal(command[1])));
      case "RENAME" -> done(() -> catalog.rename(id(command), command[2]));
      case "REPRICE" -> done(() -> catalog.reprice(id(command), new BigDecimal(command[2])));
      case "ADD_REVIEW" -> done(() -> catalog.addReview(id(command), Long.parseLong(command[2]), 5, "added"));
      case "RENAME_CATEGORY" -> done(() -> catalog.renameCategory(id(command), command[2]));
      case "DELETE" -> done(() -> catalog.delete(id(command)));
      case "EVICT_PRODUCTS" -> done(catalog::evictProducts);
      case "EVICT_ALL" -> done(catalog::evictAll);
      case "MEMORY_HITS" -> Long.toString(memoryHits(command[1]));
      case "COUNTERS" -> {
        CacheCounters c = catalog.counters();
        yield c.statements() + " " + c.hits() + " " + c.misses() + " " + c.puts() + " " + c.queryHits();
      }
      default -> throw new IllegalArgumentException("unknown command " + command[0]);
    };
  }

  /** Category 1 with products 1..n, product i named "Product i" at 10 × i. */
  private String seed(int products) {
    Category books = new Category(1, "Books");
    List<Product> list = new ArrayList<>();
    for (long i = 1; i <= products; i++) {
      list.add(new Product(i, "Product " + i, BigDecimal.valueOf(10 * i), books));
    }
    catalog.addCategory(books, list, 2);
    return "OK";
  }

  /** Hits of the memory layer of one region's cache: reads this instance answered without Redis. */
  private long memoryHits(String region) {
    CacheManager manager = ((JCacheRegionFactory) catalog.sessionFactory().unwrap(SessionFactoryImplementor.class)
        .getCache().getRegionFactory()).getCacheManager();
    // Per-layer counters count while statistics are on; Hibernate creates its regions with them off.
    manager.enableStatistics(region, true);
    LayerCache<?, ?> cache = manager.getCache(region).unwrap(LayerCache.class);
    LayerStatistics memory = cache.layerStatistics().get(0);
    if (!memory.layer().equals("memory")) {
      throw new IllegalStateException("the first layer of " + region + " is " + memory.layer());
    }
    return memory.hits();
  }

  private static long id(String[] command) {
    return Long.parseLong(command[1]);
  }

  private static String done(Runnable action) {
    action.run();
    return "OK";
  }
}
