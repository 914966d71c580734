package io.layercache.benchmarks;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A small (~100 bytes on heap) serializable value object, used as the "pojo" value type. It has a
 * public no-arg constructor and plain mutable fields, so every store-by-value implementation has to
 * really copy it (unlike {@link String}, which some implementations recognise as immutable).
 */
public final class BenchValue implements Serializable {
  private static final long serialVersionUID = 1L;

  public long id;
  public String name;
  public int[] tags;
  public double score;
  public boolean active;

  public BenchValue() {}

  public static BenchValue of(int i) {
    BenchValue v = new BenchValue();
    v.id = i;
    v.name = "item-" + i;
    v.tags = new int[] {i, i + 1, i + 2, i + 3};
    v.score = i * 0.5d;
    v.active = (i & 1) == 0;
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BenchValue)) {
      return false;
    }
    BenchValue other = (BenchValue) o;
    return id == other.id
        && Double.compare(score, other.score) == 0
        && active == other.active
        && Objects.equals(name, other.name)
        && Arrays.equals(tags, other.tags);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "BenchValue{id=" + id + ", name=" + name + "}";
  }
}
