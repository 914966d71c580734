package io.layercache.integration.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/**
 * A versioned READ_WRITE entity with a cached collection: updating it puts Hibernate's soft lock
 * (a UUID and the version comparator) into the cache, the value that used to break the copier.
 */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Author {

  /** The collection role, which is also its cache region's name. */
  public static final String BOOKS = Author.class.getName() + ".books";

  @Id
  private Long id;

  @Version
  private int version;

  private String name;

  @OneToMany(mappedBy = "author", cascade = CascadeType.ALL, orphanRemoval = true)
  @OrderBy("id")
  @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
  private List<Book> books = new ArrayList<>();

  protected Author() {
    // for Hibernate
  }

  public Author(long id, String name) {
    this.id = id;
    this.name = name;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<Book> getBooks() {
    return books;
  }

  /** Adds the book on both sides of the association. */
  public Book add(Book book) {
    books.add(book);
    book.setAuthor(this);
    return book;
  }
}
