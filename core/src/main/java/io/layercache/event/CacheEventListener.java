package io.layercache.event;

/**
 * Receives the typed events of a cache, subscribed through
 * {@link io.layercache.LayerCache#subscribe(CacheEventListener)}.
 *
 * <p>Called on the thread that caused the event, so it must be quick and must not block; an
 * exception it throws is logged and swallowed so it never breaks a cache operation.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface CacheEventListener<K> {

  /** Handles one event. */
  void onEvent(CacheEvent<K> event);
}
