package io.layercache.examples.hibernate.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An element of {@link Product}'s cached collection, itself a READ_WRITE entity. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Review {

  @Id
  private Long id;

  private int stars;

  private String text;

  @ManyToOne(fetch = FetchType.LAZY)
  private Product product;

  protected Review() {
    // for Hibernate
  }

  public Review(long id, int stars, String text) {
    this.id = id;
    this.stars = stars;
    this.text = text;
  }

  public Long getId() {
    return id;
  }

  public int getStars() {
    return stars;
  }

  public String getText() {
    return text;
  }

  void setProduct(Product product) {
    this.product = product;
  }
}
