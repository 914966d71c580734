package io.layercache.examples.hibernate.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/**
 * A versioned READ_WRITE entity with a cached collection. READ_WRITE puts a soft lock in the
 * cache while a transaction updates the row, so no instance caches a state it read meanwhile.
 */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Product {

  /** The collection role, which is also the name of its cache region. */
  public static final String REVIEWS = Product.class.getName() + ".reviews";

  @Id
  private Long id;

  @Version
  private int version;

  private String name;

  private BigDecimal price;

  @ManyToOne(fetch = FetchType.LAZY)
  private Category category;

  @OneToMany(mappedBy = "product", cascade = CascadeType.ALL, orphanRemoval = true)
  @OrderBy("id")
  @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
  private List<Review> reviews = new ArrayList<>();

  protected Product() {
    // for Hibernate
  }

  public Product(long id, String name, BigDecimal price, Category category) {
    this.id = id;
    this.name = name;
    this.price = price;
    this.category = category;
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

  public BigDecimal getPrice() {
    return price;
  }

  public void setPrice(BigDecimal price) {
    this.price = price;
  }

  public Category getCategory() {
    return category;
  }

  public List<Review> getReviews() {
    return reviews;
  }

  /** Adds the review on both sides of the association. */
  public Review add(Review review) {
    reviews.add(review);
    review.setProduct(this);
    return review;
  }
}
