package io.layercache.codec.testdomain;

import java.io.Serializable;
import java.util.Objects;

/** A mutable bean with a no-arg constructor. */
public class Address implements Serializable {
  private static final long serialVersionUID = 1L;

  private String street;
  private String city;

  public Address() {}

  public Address(String street, String city) {
    this.street = street;
    this.city = city;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && Objects.equals(street, a.street) && Objects.equals(city, a.city);
  }

  @Override
  public int hashCode() {
    return Objects.hash(street, city);
  }

  @Override
  public String toString() {
    return street + ", " + city;
  }
}
