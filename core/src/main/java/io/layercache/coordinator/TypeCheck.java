package io.layercache.coordinator;

import java.util.Objects;

/**
 * The key and value types a cache accepts, checked where values enter: operations, loaders and
 * refreshes. Untyped caches ({@code Object}, {@code Object}) check nulls only.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypeCheck<K, V> {

  private final String cacheName;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final boolean typed;

  /** The checks of cache {@code cacheName}. */
  public TypeCheck(String cacheName, Class<K> keyType, Class<V> valueType) {
    this.cacheName = cacheName;
    this.keyType = keyType;
    this.valueType = valueType;
    this.typed = keyType != Object.class || valueType != Object.class;
  }

  /** Throws for a null key or one of another type. */
  public void requireKey(K key) {
    Objects.requireNonNull(key, "key");
    if (typed && !keyType.isInstance(key)) {
      throw new ClassCastException("Cache '" + cacheName + "' takes keys of type " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
  }

  /** Throws for a value of another type (a loader's, say). */
  public void requireValue(V value) {
    if (typed && !valueType.isInstance(value)) {
      throw new ClassCastException("Cache '" + cacheName + "' takes values of type " + valueType.getName()
          + ", not " + value.getClass().getName());
    }
  }

  /** Throws for a null or mistyped key or value. */
  public void requireEntry(K key, V value) {
    requireKey(key);
    Objects.requireNonNull(value, "value");
    requireValue(value);
  }
}
