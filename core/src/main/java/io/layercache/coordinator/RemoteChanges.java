package io.layercache.coordinator;

import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.StoredEntry;

/**
 * Applies other instances' changes, as the invalidation bus delivers them, to this instance's
 * in-process layers only: never to a shared layer (the other instance changed it already), never
 * published again, never seen by this instance's listeners or statistics (the change was not
 * made here).
 *
 * <p>Each also wakes this instance's callers waiting for another instance's load of the key: the
 * news may be the value they wait for.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RemoteChanges<K, V> {

  private final String name;
  private final EventHub<K> events;
  private final InProcessCopies<K, V> copies;
  private final TagBarriers tagBarriers;
  private final DistributedSingleFlight<K> distributed;

  RemoteChanges(String name, EventHub<K> events, LayerStack<K, V> stack, TagBarriers tagBarriers,
      DistributedSingleFlight<K> distributed) {
    this.name = name;
    this.events = events;
    this.copies = stack.inProcessCopies();
    this.tagBarriers = tagBarriers;
    this.distributed = distributed;
  }

  /** Drops this instance's in-process copies of {@code key}. */
  public void invalidate(K key) {
    copies.drop(key);
    distributed.wake(key);
    if (events.isActive()) {
      events.publish(new CacheEvent.RemoteInvalidated<>(name, key));
    }
  }

  /**
   * Raises this instance's copy of the barrier of {@code tag} to {@code stamp} at once; the shared
   * layer already holds it (the sender raised it there), so it is not raised again.
   */
  public void invalidateTag(String tag, long stamp) {
    tagBarriers.invalidateLocally(tag, stamp);
  }

  /** Drops the in-process entries whose keys {@code pattern} matches. */
  public void deleteMatching(io.layercache.KeyPattern pattern) {
    copies.removeMatching(pattern);
  }

  /** Empties this instance's in-process layers. */
  public void clear() {
    copies.clear();
    if (events.isActive()) {
      events.publish(new CacheEvent.RemoteCleared<>(name));
    }
  }

  /**
   * Puts another instance's freshly loaded entry into the in-process layers where they hold
   * nothing or an older write, unless the key was invalidated recently, sparing this instance a
   * load.
   *
   * @return true when a layer took it
   */
  public boolean prime(K key, StoredEntry<V> entry) {
    boolean primed = copies.prime(key, entry);
    distributed.wake(key);
    if (primed && events.isActive()) {
      events.publish(new CacheEvent.RemotePrimed<>(name, key));
    }
    return primed;
  }

  /**
   * Repairs in-process layers that may have missed changes (lost bus messages): empties them, so
   * the next reads go to the shared layer. With {@code onlyIfReachable}, skipped while the shared
   * layer is unreachable: its in-process copies are then the only ones there are (and fail-safe's
   * fallbacks), and nobody can change the shared layer meanwhile.
   *
   * @return true when the layers were emptied
   */
  public boolean repair(boolean onlyIfReachable) {
    if (onlyIfReachable && !copies.sharedLayerReachable()) {
      return false;
    }
    copies.clear();
    if (events.isActive()) {
      events.publish(new CacheEvent.InProcessRepaired<>(name));
    }
    return true;
  }
}
