package io.layercache.jcache.event;

import io.layercache.codec.Copier;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * A JCache entry event. Removed and expired events carry the removed value as both value and old
 * value, and only to listeners that asked for old values (JCache 1.1).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final K key;
  private final transient V value;
  private final transient V oldValue;
  private final boolean oldValueAvailable;

  EntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
  }

  /** A created event. */
  public static <K, V> EntryEvent<K, V> created(Cache<K, V> source, K key, V value) {
    return new EntryEvent<>(source, EventType.CREATED, key, value, null, false);
  }

  /** An updated event. */
  public static <K, V> EntryEvent<K, V> updated(Cache<K, V> source, K key, V value, V oldValue) {
    return new EntryEvent<>(source, EventType.UPDATED, key, value, oldValue, true);
  }

  /** A removed event; the removed value is both its value and its old value. */
  public static <K, V> EntryEvent<K, V> removed(Cache<K, V> source, K key, V removedValue) {
    return new EntryEvent<>(source, EventType.REMOVED, key, removedValue, removedValue, true);
  }

  /** An expired event; the expired value is both its value and its old value. */
  public static <K, V> EntryEvent<K, V> expired(Cache<K, V> source, K key, V expiredValue) {
    return new EntryEvent<>(source, EventType.EXPIRED, key, expiredValue, expiredValue, true);
  }

  /**
   * The same event for a listener that did not ask for old values. A removed or expired event's
   * value is its old value, so it goes too.
   */
  EntryEvent<K, V> withoutOldValue() {
    if (!oldValueAvailable) {
      return this;
    }
    boolean valueIsOld = getEventType() == EventType.REMOVED || getEventType() == EventType.EXPIRED;
    return new EntryEvent<>(getSource(), getEventType(), key, valueIsOld ? null : value, null, false);
  }

  /** The same event with copies of its key and values, for listeners of a store-by-value cache. */
  EntryEvent<K, V> copiedBy(Copier copier) {
    return new EntryEvent<>(getSource(), getEventType(), copier.copy(key), copier.copy(value), copier.copy(oldValue),
        oldValueAvailable);
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
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a cache entry event to " + type.getName());
  }

  @Override
  public String toString() {
    return getEventType() + "[" + key + "]";
  }
}
