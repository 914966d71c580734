package io.layercache.examples.springboot;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Reads books through Spring's cache annotations. */
@Service
public class BookCatalog {

  private final BookRepository repository;

  public BookCatalog(BookRepository repository) {
    this.repository = repository;
  }

  /**
   * A book by id. {@code sync = true}: concurrent misses of one id wait for a single repository
   * read (LayerCache's single-flight) instead of all reading it.
   */
  @Cacheable(cacheNames = "books", sync = true)
  public Book book(long id) {
    return repository.byId(id);
  }

  /**
   * A book by ISBN, or null. The null is cached too (Spring stores it as {@code NullValue}), so an
   * unknown ISBN asked again does not reach the repository.
   */
  @Cacheable(cacheNames = "books-by-isbn")
  public Book byIsbn(String isbn) {
    return repository.byIsbn(isbn);
  }

  /** Renames a book; its cached copy is evicted so the next read sees the new title. */
  @CacheEvict(cacheNames = "books", key = "#id")
  public void rename(long id, String title) {
    Book book = repository.byId(id);
    repository.save(new Book(id, book.isbn(), title));
  }
}
