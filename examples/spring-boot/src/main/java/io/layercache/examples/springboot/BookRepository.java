package io.layercache.examples.springboot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Repository;

/**
 * The slow origin the caches protect (a database in a real application). It counts its reads, so
 * the demo and the tests can show when a cache answered instead.
 */
@Repository
public class BookRepository {

  private final Map<Long, Book> books = new ConcurrentHashMap<>(Map.of(
      1L, new Book(1, "978-0-441-47812-5", "The Left Hand of Darkness"),
      2L, new Book(2, "978-0-06-051275-8", "The Dispossessed")));
  private final AtomicInteger reads = new AtomicInteger();

  /** The book with this id, or null. */
  public Book byId(long id) {
    reads.incrementAndGet();
    return books.get(id);
  }

  /** The book with this ISBN, or null when the catalogue has none. */
  public Book byIsbn(String isbn) {
    reads.incrementAndGet();
    return books.values().stream().filter(book -> book.isbn().equals(isbn)).findFirst().orElse(null);
  }

  /** Stores a book. */
  public void save(Book book) {
    books.put(book.id(), book);
  }

  /** How many reads reached this repository. */
  public int reads() {
    return reads.get();
  }
}
