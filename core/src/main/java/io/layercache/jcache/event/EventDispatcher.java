package io.layercache.jcache.event;

import io.layercache.codec.Copier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;

/**
 * Delivers JCache entry events to a cache's registered listeners.
 *
 * <ul>
 *   <li>Operations collect their events while they hold the entry and hand them over once they
 *       release it, so a listener never runs inside the cache's per-key critical section.
 *   <li>Synchronous listeners run on the caller's thread before the operation returns; their
 *       exceptions reach the caller as {@link javax.cache.event.CacheEntryListenerException}.
 *   <li>Each asynchronous listener receives its events in order, one at a time, on a shared pool.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EventDispatcher<K, V> {

  private final CopyOnWriteArrayList<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final Executor asyncExecutor;
  private final Copier copier;

  /**
   * A dispatcher whose asynchronous listeners run on {@code asyncExecutor} and receive values
   * through {@code copier}, so a listener of a store-by-value cache cannot change cached values.
   */
  public EventDispatcher(Executor asyncExecutor, Copier copier) {
    this.asyncExecutor = asyncExecutor;
    this.copier = copier;
  }

  /** True when any listener is registered; lets operations skip building events. */
  public boolean hasListeners() {
    return !registrations.isEmpty();
  }

  /**
   * Registers a listener configuration.
   *
   * @throws IllegalArgumentException if an equal configuration is already registered
   */
  public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (ListenerRegistration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        throw new IllegalArgumentException("Listener configuration already registered: " + configuration);
      }
    }
    registrations.add(new ListenerRegistration<>(configuration, asyncExecutor));
  }

  /** Removes a listener configuration; does nothing if it is not registered. */
  public synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (ListenerRegistration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        registrations.remove(registration);
        registration.close();
      }
    }
  }

  /** The registered configurations. */
  public List<CacheEntryListenerConfiguration<K, V>> configurations() {
    List<CacheEntryListenerConfiguration<K, V>> result = new ArrayList<>();
    for (ListenerRegistration<K, V> registration : registrations) {
      result.add(registration.configuration());
    }
    return result;
  }

  /** Delivers the events, in order, to every interested listener. */
  public void dispatch(List<EntryEvent<K, V>> events) {
    if (events == null || events.isEmpty()) {
      return;
    }
    List<EntryEvent<K, V>> delivered = events;
    if (copier != Copier.IDENTITY) {
      delivered = new ArrayList<>(events.size());
      for (EntryEvent<K, V> event : events) {
        delivered.add(event.copiedBy(copier));
      }
    }
    for (ListenerRegistration<K, V> registration : registrations) {
      registration.deliver(delivered);
    }
  }

  /** Closes every listener and filter that is {@link java.io.Closeable}, and forgets them. */
  public synchronized void close() {
    for (ListenerRegistration<K, V> registration : registrations) {
      registration.close();
    }
    registrations.clear();
  }
}
