package io.layercache.coordinator;

import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import java.util.List;

/**
 * Publishes the typed events of committed changes: {@code Written}, {@code Removed},
 * {@code Expired}, {@code Evicted}, {@code NegativeStored}, {@code Cleared} and
 * {@code TagInvalidated} come from the feed only, so every form of an operation (every remove,
 * a processor's removal, a load) reports alike.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ChangeEvents<K, V> implements ChangeListener<K, V> {

  private final String cacheName;
  private final EventHub<K> events;

  ChangeEvents(String cacheName, EventHub<K> events) {
    this.cacheName = cacheName;
    this.events = events;
  }

  @Override
  public boolean needsPreviousValues() {
    return false;
  }

  @Override
  public void onChanges(List<Change<K, V>> changes) {
    if (!events.isActive()) {
      return;
    }
    for (Change<K, V> change : changes) {
      CacheEvent<K> event = eventOf(change);
      if (event != null) {
        events.publish(event);
      }
    }
  }

  private CacheEvent<K> eventOf(Change<K, V> change) {
    return switch (change.type()) {
      case CREATED, UPDATED, WRITTEN -> new CacheEvent.Written<>(cacheName, change.key(), change.tags());
      case UPDATED_AND_EXPIRED, EXPIRED -> new CacheEvent.Expired<>(cacheName, change.key());
      case REMOVED -> new CacheEvent.Removed<>(cacheName, change.key());
      case EVICTED -> new CacheEvent.Evicted<>(cacheName, change.key(), change.detail());
      case NOT_FOUND_STORED -> new CacheEvent.NegativeStored<>(cacheName, change.key());
      case CLEARED -> new CacheEvent.Cleared<>(cacheName);
      case TAG_INVALIDATED -> new CacheEvent.TagInvalidated<>(cacheName, change.detail());
      case SHARED_COPY_DROPPED -> null; // not a change of this cache's content
      case PATTERN_DELETED -> new CacheEvent.PatternDeleted<>(cacheName, change.detail());
    };
  }
}
