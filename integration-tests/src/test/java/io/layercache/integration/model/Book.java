package io.layercache.integration.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A READ_WRITE entity whose state holds the usual JDK value types and an enum. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Book {

  @Id
  private Long id;

  private String title;

  @Enumerated(EnumType.STRING)
  private Genre genre;

  private UUID reference;

  private LocalDate published;

  private BigDecimal price;

  @ManyToOne(fetch = FetchType.LAZY)
  private Author author;

  protected Book() {
    // for Hibernate
  }

  public Book(long id, String title, Genre genre, LocalDate published, BigDecimal price) {
    this.id = id;
    this.title = title;
    this.genre = genre;
    this.reference = UUID.nameUUIDFromBytes(title.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.published = published;
    this.price = price;
  }

  public Long getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public Genre getGenre() {
    return genre;
  }

  public UUID getReference() {
    return reference;
  }

  public LocalDate getPublished() {
    return published;
  }

  public BigDecimal getPrice() {
    return price;
  }

  public Author getAuthor() {
    return author;
  }

  void setAuthor(Author author) {
    this.author = author;
  }
}
