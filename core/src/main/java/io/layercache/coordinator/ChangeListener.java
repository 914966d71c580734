package io.layercache.coordinator;

import java.util.List;

/**
 * Receives a cache's committed changes from its {@link ChangeFeed}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface ChangeListener<K, V> {

  /**
   * Called on the thread that committed the changes, after every lock is released, with the
   * changes of one operation in order. May throw: the exception reaches the operation's caller
   * (JCache synchronous listeners rely on this), after the listeners before it ran.
   */
  void onChanges(List<Change<K, V>> changes);

  /**
   * True when this listener needs to know what a write replaced (created or updated, the old
   * value). When no listener does, a plain put may skip reading the previous entry (one remote
   * round trip instead of two) and record a {@link Change.Type#WRITTEN} change. True by default.
   */
  default boolean needsPreviousValues() {
    return true;
  }
}
