package io.layercache.coordinator;

import io.layercache.event.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The post-commit change feed of one cache: every authoritative change is published here once,
 * after it committed, and every observer of changes subscribes here.
 *
 * <ul>
 *   <li>Listeners run in subscription order on the committing thread. An exception from one is
 *       rethrown to the operation's caller after the remaining listeners ran, so statistics and
 *       buses never miss a change because a user's listener failed.
 *   <li>{@link #isActive()} is one volatile read, for callers that want to skip work nobody
 *       would see; {@link #needsPreviousValues()} tells whether a plain put must read the entry
 *       it replaces.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ChangeFeed<K, V> {

  private final CopyOnWriteArrayList<ChangeListener<K, V>> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; the returned subscription removes it. */
  public Subscription subscribe(ChangeListener<K, V> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> {
      listeners.remove(listener);
    };
  }

  /** True when anyone listens. */
  public boolean isActive() {
    return !listeners.isEmpty(); // one volatile read of the list's array; no flag to race with
  }

  /** True when some listener needs to know what writes replace ({@link ChangeListener#needsPreviousValues()}). */
  public boolean needsPreviousValues() {
    for (ChangeListener<K, V> listener : listeners) {
      if (listener.needsPreviousValues()) {
        return true;
      }
    }
    return false;
  }

  /** Publishes the committed changes of one operation; does nothing for none. */
  public void publish(List<Change<K, V>> changes) {
    if (changes == null || changes.isEmpty()) {
      return;
    }
    RuntimeException first = null;
    for (ChangeListener<K, V> listener : listeners) {
      try {
        listener.onChanges(changes);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Publishes one committed change. */
  public void publish(Change<K, V> change) {
    publish(List.of(change));
  }

  /**
   * Removes every listener, closing those that hold resources ({@link AutoCloseable}, e.g. a
   * cache's link to the invalidation bus). Called when the cache closes.
   */
  public void close() {
    for (ChangeListener<K, V> listener : listeners) {
      listeners.remove(listener);
      if (listener instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          org.slf4j.LoggerFactory.getLogger(ChangeFeed.class).warn("Failed to close change listener {}", listener, e);
        }
      }
    }
  }
}
