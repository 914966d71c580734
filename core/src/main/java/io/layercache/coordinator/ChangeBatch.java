package io.layercache.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * The changes one operation made, collected while it holds a key and published after it lets
 * go. A compute function starts each attempt with {@link #reset()}, so an attempt a remote layer
 * retried leaves no record.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ChangeBatch<K, V> {

  private List<Change<K, V>> changes;
  private int mark;

  /** Forgets what the current attempt recorded, keeping what earlier keys of the operation committed. */
  ChangeBatch<K, V> reset() {
    if (changes != null) {
      changes.subList(mark, changes.size()).clear();
    }
    return this;
  }

  /** Seals what was recorded so far: a later {@link #reset()} keeps it (the next key of a batch begins). */
  void commit() {
    mark = changes == null ? 0 : changes.size();
  }

  void add(Change<K, V> change) {
    if (changes == null) {
      changes = new ArrayList<>(2);
    }
    changes.add(change);
  }

  /** The changes recorded, or an empty list. */
  List<Change<K, V>> changes() {
    return changes == null ? List.of() : changes;
  }

  /** True when the current attempt stored or removed a value (JCache counts a put or removal). */
  boolean isEmpty() {
    return changes == null || changes.isEmpty();
  }
}
