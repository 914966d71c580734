package io.layercache.event;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans typed events out to the subscribers of one cache.
 *
 * <p>{@link #isActive()} is a single volatile read so the hot path can skip building events
 * when nobody listens.
 *
 * @param <K> the key type
 */
public final class EventHub<K> {

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final CopyOnWriteArrayList<CacheEventListener<K>> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; the returned subscription removes it. */
  public Subscription subscribe(CacheEventListener<K> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return () -> {
      listeners.remove(listener);
    };
  }

  /** True when at least one listener is subscribed. */
  public boolean isActive() {
    return !listeners.isEmpty(); // one volatile read of the list's array; no flag to race with
  }

  /** Delivers the event to every listener; a failing listener is logged and skipped. */
  public void publish(CacheEvent<K> event) {
    for (CacheEventListener<K> listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("cache={} event listener {} failed on {}", event.cacheName(), listener, event.getClass().getSimpleName(), e);
      }
    }
  }
}
