package io.layercache.jcache;

import java.util.Objects;
import javax.cache.Cache;

/**
 * An immutable {@link Cache.Entry} handed to callers (iteration) and cache writers.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EntryProxy<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  /** An entry of {@code key} and {@code value}. */
  public EntryProxy(K key, V value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a cache entry to " + type.getName());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EntryProxy<?, ?> that && key.equals(that.key) && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return key.hashCode() ^ value.hashCode();
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
