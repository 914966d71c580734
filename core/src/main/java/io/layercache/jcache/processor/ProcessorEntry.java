package io.layercache.jcache.processor;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.integration.CacheLoaderException;
import javax.cache.processor.MutableEntry;

/**
 * The {@link MutableEntry} an entry processor works on. It records the net effect of the
 * processor's calls as an {@link EntryAction}; the cache applies that effect atomically (writer,
 * expiry, statistics, events) once the processor returns.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

  private final K key;
  private final boolean existed;
  private final Function<K, V> readThrough;
  private V value;
  private EntryAction action = EntryAction.NONE;

  /**
   * @param value       the live value, or null when there is none
   * @param readThrough loads a missing value when read-through is on, else null
   */
  public ProcessorEntry(K key, V value, Function<K, V> readThrough) {
    this.key = key;
    this.value = value;
    this.existed = value != null;
    this.readThrough = readThrough;
  }

  /** The net effect of the processor. */
  public EntryAction action() {
    return action;
  }

  /** True when the entry was live before the processor ran. */
  public boolean existed() {
    return existed;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (action == EntryAction.NONE) {
      if (value != null) {
        action = EntryAction.ACCESSED;
      } else if (readThrough != null) {
        V loaded;
        try {
          loaded = readThrough.apply(key);
        } catch (CacheLoaderException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new CacheLoaderException("Cache loader failed for key " + key, e);
        }
        if (loaded != null) {
          value = loaded;
          action = EntryAction.LOADED;
        }
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    action = action == EntryAction.CREATED || action == EntryAction.LOADED
        ? (existed ? EntryAction.REMOVED : EntryAction.NONE)
        : EntryAction.REMOVED;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "an entry processor cannot set a null value");
    action = existed ? EntryAction.UPDATED : EntryAction.CREATED;
    value = newValue;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a mutable entry to " + type.getName());
  }
}
