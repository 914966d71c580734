package io.layercache.jcache.event;

import io.layercache.coordinator.Change;
import io.layercache.coordinator.ChangeListener;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;

/**
 * The JCache entry listeners of one cache as a subscriber of its change feed: each committed
 * change becomes the JCache events the specification asks for, delivered through the
 * {@link EventDispatcher} (synchronous listeners before the operation returns).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class JCacheListeners<K, V> implements ChangeListener<K, V> {

  private final Cache<K, V> source;
  private final EventDispatcher<K, V> dispatcher;

  /** Listeners of {@code source}, registered on {@code dispatcher}. */
  public JCacheListeners(Cache<K, V> source, EventDispatcher<K, V> dispatcher) {
    this.source = source;
    this.dispatcher = dispatcher;
  }

  /** Only while JCache listeners are registered: they tell created from updated, and see old values. */
  @Override
  public boolean needsPreviousValues() {
    return dispatcher.hasListeners();
  }

  @Override
  public void onChanges(List<Change<K, V>> changes) {
    if (!dispatcher.hasListeners()) {
      return;
    }
    List<EntryEvent<K, V>> events = new ArrayList<>(changes.size());
    for (Change<K, V> change : changes) {
      switch (change.type()) {
        case CREATED -> events.add(EntryEvent.created(source, change.key(), change.newValue()));
        case UPDATED -> events.add(EntryEvent.updated(source, change.key(), change.newValue(), change.oldValue()));
        case UPDATED_AND_EXPIRED -> {
          events.add(EntryEvent.updated(source, change.key(), change.newValue(), change.oldValue()));
          events.add(EntryEvent.expired(source, change.key(), change.newValue()));
        }
        case REMOVED -> events.add(EntryEvent.removed(source, change.key(), change.oldValue()));
        case EXPIRED -> events.add(EntryEvent.expired(source, change.key(), change.oldValue()));
        default -> {
          // evictions, "not found" marks, clears and tag invalidations have no JCache event
        }
      }
    }
    dispatcher.dispatch(events);
  }
}
