package io.layercache.examples.hibernate.model;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/**
 * Reference data that rarely changes: NONSTRICT_READ_WRITE, so Hibernate takes no soft lock on
 * update and simply evicts the entry after the commit (a short window where another transaction
 * may still read the old state is accepted for such data).
 */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.NONSTRICT_READ_WRITE)
public class Category {

  @Id
  private Long id;

  private String name;

  protected Category() {
    // for Hibernate
  }

  public Category(long id, String name) {
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
}
