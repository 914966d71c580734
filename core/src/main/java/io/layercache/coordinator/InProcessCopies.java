package io.layercache.coordinator;

import io.layercache.KeyPattern;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.LayerEvent;

/**
 * The in-process layers of a {@link LayerStack} (memory; a disk layer later) as other instances'
 * changes reach them: never a shared layer, which the other instance changed already. Every
 * removal raises the {@link BackfillFence} first, so a read that began before it cannot copy the
 * old value back.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class InProcessCopies<K, V> {

  private final LayerStack<K, V> stack;

  InProcessCopies(LayerStack<K, V> stack) {
    this.stack = stack;
  }

  /** Drops the in-process copies of {@code key}. */
  public void drop(K key) {
    stack.fence.invalidate(key);
    for (int i = 0; i <= stack.last; i++) {
      LayerAccessor<K, V> layer = stack.layers.get(i);
      if (layer.inProcess() && layer.remove(key) != null) {
        stack.metrics.recordLayer(i, LayerEvent.REMOVAL);
      }
    }
  }

  /** Empties the in-process layers. */
  public void clear() {
    stack.fence.invalidateAll();
    for (LayerAccessor<K, V> layer : stack.layers) {
      if (layer.inProcess()) {
        layer.clear();
      }
    }
  }

  /** Removes the keys {@code pattern} matches from the in-process layers. */
  public void removeMatching(KeyPattern pattern) {
    stack.fence.invalidateAll();
    for (LayerAccessor<K, V> layer : stack.layers) {
      if (layer.inProcess()) {
        layer.removeMatching(pattern);
      }
    }
  }

  /**
   * Copies another instance's freshly loaded, untagged {@code entry} into the in-process layers
   * where they hold nothing, unless the key (or the cache) was invalidated recently: a
   * priming message that raced an invalidation must not bring the old value back. On a stack with
   * a shared layer only the layers above it are primed.
   *
   * @return true when a layer took it
   */
  public boolean prime(K key, StoredEntry<V> entry) {
    long nowMillis = stack.time.currentTimeMillis();
    // Tagged entries are not primed: judging their tags may need the shared layer, and this runs
    // on the bus's delivery thread. They are read from the shared layer on first use instead.
    if (entry.isExpiredAt(nowMillis) || !entry.tags().isEmpty() || !stack.fence.quiet(key)) {
      return false;
    }
    boolean primed = false;
    int end = stack.last == 0 ? 0 : stack.last - 1;
    for (int i = 0; i <= end && stack.layers.get(i).inProcess(); i++) {
      StoredEntry<V> copy = stack.capped(entry, i, nowMillis);
      // Only where nothing is held: write stamps of different instances come from different
      // clocks, so "older" cannot be judged across instances.
      primed |= stack.layers.get(i).compute(key, (k, current) ->
          current == null && stack.fence.quiet(k) ? copy : current) == copy;
    }
    return primed;
  }

  /** True when the shared layer can be reached (or there is none), so dropped copies can be read again. */
  public boolean sharedLayerReachable() {
    LayerAccessor<K, V> authoritative = stack.authoritative();
    return authoritative.inProcess() || !authoritative.breakerOpen();
  }
}
