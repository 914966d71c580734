package io.layercache.jcache;

import io.layercache.event.CacheEvent;
import io.layercache.jcache.event.EntryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one cache operation did, collected while it holds an entry and acted on after it lets
 * go: the JCache events to dispatch and the statistics to record. Compute functions start with
 * {@link #reset()}, so a retried attempt does not count twice.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class Changes<K, V> {

  private List<EntryEvent<K, V>> events;
  private List<CacheEvent<K>> typedEvents;
  long hits;
  long misses;
  long puts;
  long removals;

  /**
   * Forgets everything recorded so far. Called at the start of each compute attempt: a remote
   * layer may run the function again after losing a race, and only the last attempt counts.
   */
  Changes<K, V> reset() {
    events = null;
    typedEvents = null;
    hits = 0;
    misses = 0;
    puts = 0;
    removals = 0;
    return this;
  }

  void event(EntryEvent<K, V> event) {
    if (events == null) {
      events = new ArrayList<>(2);
    }
    events.add(event);
  }

  List<EntryEvent<K, V>> events() {
    return events;
  }

  /** Records a typed event, published once the entry is released. */
  void typed(CacheEvent<K> event) {
    if (typedEvents == null) {
      typedEvents = new ArrayList<>(2);
    }
    typedEvents.add(event);
  }

  List<CacheEvent<K>> typedEvents() {
    return typedEvents;
  }
}
