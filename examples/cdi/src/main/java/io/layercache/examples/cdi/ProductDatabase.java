package io.layercache.examples.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands for the slow origin: it counts the reads that reach it. */
@ApplicationScoped
public class ProductDatabase {

  private final Map<String, Product> rows = new ConcurrentHashMap<>(Map.of(
      "p-1", new Product("p-1", "Teapot", 2_500),
      "p-2", new Product("p-2", "Kettle", 4_000)));
  private final AtomicInteger reads = new AtomicInteger();

  /** The product, or {@code null}. */
  public Product read(String id) {
    reads.incrementAndGet();
    return rows.get(id);
  }

  public void write(Product product) {
    rows.put(product.id(), product);
  }

  public void delete(String id) {
    rows.remove(id);
  }

  /** Reads that reached this database so far. */
  public int reads() {
    return reads.get();
  }
}
