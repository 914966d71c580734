package io.layercache.examples.cdi;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Starts Weld SE, calls the cached catalog, and prints how many reads reached the database.
 * {@code -Dlayercache.example.config=classpath:layercache-redis.conf} runs it on memory + Redis.
 */
public final class CatalogDemo {

  private CatalogDemo() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) {
    try (WeldContainer container = new Weld().initialize()) {
      ProductCatalog catalog = container.select(ProductCatalog.class).get();
      ProductDatabase database = container.select(ProductDatabase.class).get();

      catalog.find("p-1");
      catalog.find("p-1");
      report("find(p-1) twice", catalog.find("p-1"), database);

      catalog.save("p-1", new Product("p-1", "Teapot", 1_999));
      report("save(p-1) then find(p-1)", catalog.find("p-1"), database);

      catalog.delete("p-1");
      report("delete(p-1) then find(p-1)", catalog.find("p-1"), database);
    }
  }

  private static void report(String step, Product found, ProductDatabase database) {
    System.out.printf("%-28s -> %s (database reads so far: %d)%n", step, found, database.reads());
  }
}
