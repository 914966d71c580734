package io.layercache.examples.hibernate;

import io.layercache.examples.hibernate.model.Category;
import io.layercache.examples.hibernate.model.Product;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The demo's steps on one catalog instance: each step's result and what it cost, as Hibernate
 * counted it (SQL statements, cache hits). The README and the tests read the same steps.
 */
public final class HibernateDemo {

  /** One step: what was done, what it returned, and Hibernate's counters for the step alone. */
  public record Step(String title, String result, CacheCounters cost) {
  }

  private final Catalog catalog;
  private final List<Step> steps = new ArrayList<>();

  public HibernateDemo(Catalog catalog) {
    this.catalog = catalog;
  }

  /** Runs every step on an empty database and returns them in order. */
  public List<Step> run() {
    step("seed: 1 category, 3 products with 2 reviews each", () -> {
      Category books = new Category(1, "Books");
      catalog.addCategory(books, List.of(
          new Product(1, "Emma", new BigDecimal("9.90"), books),
          new Product(2, "Persuasion", new BigDecimal("7.50"), books),
          new Product(3, "Sanditon", new BigDecimal("24.00"), books)), 2);
      return "done";
    });
    step("read product 1 (first read: the database)", () -> show(catalog.product(1)));
    step("read product 1 again (the entity cache)", () -> show(catalog.product(1)));
    step("read product 1's reviews twice (the collection cache)", () -> {
      catalog.reviews(1);
      return catalog.reviews(1).toString();
    });
    step("query products under 20 twice (the query cache)", () -> {
      catalog.cheaperThan(new BigDecimal("20"));
      return catalog.cheaperThan(new BigDecimal("20")).toString();
    });
    step("rename product 1 (READ_WRITE: the new state goes into the cache)",
        () -> run(() -> catalog.rename(1, "Emma (Penguin Classics)")));
    step("read product 1 (new name, from the cache)", () -> show(catalog.product(1)));
    step("rename the category (NONSTRICT_READ_WRITE: evicted after the commit)",
        () -> run(() -> catalog.renameCategory(1, "Classics")));
    step("read product 1 (its category is read from the database again)", () -> show(catalog.product(1)));
    step("delete product 2", () -> run(() -> catalog.delete(2)));
    step("read product 2 (gone: the cache does not bring it back)", () -> show(catalog.product(2)));
    step("query products under 20 (its table changed: the query runs again)",
        () -> catalog.cheaperThan(new BigDecimal("20")).toString());
    step("evictEntityData(Product.class), then read product 1 (the database)", () -> {
      catalog.evictProducts();
      return show(catalog.product(1));
    });
    step("evictAll() (every entity region), then read product 3 (the database)", () -> {
      catalog.evictAll();
      return show(catalog.product(3));
    });
    return List.copyOf(steps);
  }

  private void step(String title, Supplier<String> action) {
    CacheCounters before = catalog.counters();
    String result = action.get();
    steps.add(new Step(title, result, catalog.counters().since(before)));
  }

  private static String show(Optional<ProductView> product) {
    return product.map(p -> p.name() + ", " + p.price() + ", category " + p.category()).orElse("no such product");
  }

  private static String run(Runnable action) {
    action.run();
    return "done";
  }
}
