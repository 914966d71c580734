package io.layercache.coordinator;

import io.layercache.layer.LayerUnavailableException;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.LayerEvent;
import java.util.function.BiFunction;

/**
 * The write side of a {@link LayerStack}: puts and computes, bottom-up, the upper layers updated
 * under a per-key stripe of this JVM so two writers of one JVM leave them with the value the
 * authoritative layer kept, and never over another instance's invalidation that came after the
 * shared write began (the {@link BackfillFence}). Removals, expiry and clearing stay in the stack.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class StackWrites<K, V> {

  private final LayerStack<K, V> stack;
  /** Per-key locks of this JVM for multi-layer writes; none for a one-layer stack. */
  private final Object[] stripes;

  StackWrites(LayerStack<K, V> stack) {
    this.stack = stack;
    this.stripes = new Object[stack.last == 0 ? 0 : 256];
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  private Object stripe(K key) {
    return stripes[(key.hashCode() & 0x7fffffff) % stripes.length];
  }

  /** Writes the entry to every layer, bottom-up. */
  void put(K key, StoredEntry<V> entry, long nowMillis, OperationContext operation) {
    if (stack.last == 0) {
      stack.top.put(key, stack.capped(entry, 0, nowMillis));
      stack.metrics.recordLayer(0, LayerEvent.WRITE);
      return;
    }
    // Under the key's stripe, as compute: two writers of this JVM leave the upper layers with the
    // value the authoritative layer kept.
    synchronized (stripe(key)) {
      long ticket = stack.fence.open(); // before the shared write: see keepUpperCopy
      for (int i = stack.last; i >= 0; i--) {
        LayerAccessor<K, V> layer = stack.layers.get(i);
        StoredEntry<V> copy = stack.capped(entry, i, nowMillis);
        if (i < stack.last && !stack.fence.admits(key, ticket)) {
          layer.remove(key);
        } else if (!layer.skips(operation) && stack.tolerate(() -> layer.put(key, copy), operation)) {
          stack.metrics.recordLayer(i, LayerEvent.WRITE);
        }
      }
    }
  }

  /**
   * Atomically replaces the entry of {@code key} with the function's result, which sees the
   * authoritative entry (null when absent). A null result removes the key from every layer.
   *
   * <p>Atomicity comes from the authoritative layer's own compute (Caffeine's per-key lock in
   * memory, a compare-and-set script in Redis); upper layers are updated afterwards under a
   * per-key lock of this JVM. A remote layer may call the function more than once when it loses
   * a race with another instance; only the last call's result is stored.
   *
   * <p>With {@code likelyAbsent} (a value loaded under a lease whose layer held no entry) the
   * authoritative layer may first try the function on "absent" ({@link io.layercache.layer.Layer#computeIfLikelyAbsent}).
   *
   * @return the function's result
   */
  StoredEntry<V> compute(K key, long nowMillis,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping, OperationContext operation,
      boolean likelyAbsent) {
    if (stack.last == 0 || stack.authoritative().skips(operation)) {
      return computeLocally(key, nowMillis, remapping);
    }
    synchronized (stripe(key)) {
      // The top layer's copy of the same write is handed to the function instead of the object
      // decoded from the authoritative layer, so store-by-reference caches keep returning the
      // instances they were given.
      AuthoritativeCompute call = new AuthoritativeCompute(stack.layers.get(0).get(key), remapping, nowMillis);
      long ticket = stack.fence.open(); // before the shared compute: see the upper layers' update below
      StoredEntry<V> after;
      try {
        after = likelyAbsent ? stack.authoritative().computeIfLikelyAbsent(key, call)
            : stack.authoritative().compute(key, call);
      } catch (LayerUnavailableException e) {
        stack.degradeOrThrow(e, operation);
        return computeLocally(key, nowMillis, remapping);
      }
      count(stack.last, call.before, call.unchanged ? call.before : after);
      if (call.unchanged && call.before != null) {
        return call.before;
      }
      updateUpperLayers(key, after, ticket, nowMillis);
      return call.unchanged ? call.before : after;
    }
  }

  /**
   * The function the authoritative layer runs (more than once when a remote layer loses a race):
   * it hides an entry behind a tag barrier, hands the function the top layer's instance of the
   * same write, and remembers what the function saw and whether it changed anything. Runs on the
   * caller's thread.
   */
  private final class AuthoritativeCompute implements BiFunction<K, StoredEntry<V>, StoredEntry<V>> {
    private final StoredEntry<V> local;
    private final BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping;
    private final long nowMillis;
    /** The entry the last call showed the function. */
    StoredEntry<V> before;
    /** True when the last call's function returned what it was shown. */
    boolean unchanged;

    AuthoritativeCompute(StoredEntry<V> local,
        BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping, long nowMillis) {
      this.local = local;
      this.remapping = remapping;
      this.nowMillis = nowMillis;
    }

    @Override
    public StoredEntry<V> apply(K k, StoredEntry<V> current) {
      StoredEntry<V> visible = current != null && stack.tagBarriers.hides(current) ? null : current;
      StoredEntry<V> seen = visible != null && visible.isSameWriteAs(local) ? visible.withValue(local.value()) : visible;
      before = seen;
      StoredEntry<V> result = remapping.apply(k, seen);
      unchanged = result == seen;
      if (unchanged) {
        return visible;
      }
      return result == null ? null : stack.capped(result, stack.last, nowMillis);
    }
  }

  /** After a shared compute that changed the entry: the layers above get its result, or lose their copy. */
  private void updateUpperLayers(K key, StoredEntry<V> after, long ticket, long nowMillis) {
    // Unchanged and absent below: an upper copy (one graceful mode wrote while the authoritative
    // layer was down) is stale, and goes too.
    if (after == null) {
      stack.fence.invalidate(key);
    }
    // Another instance's invalidation that arrived after the shared compute began may be of a
    // newer value than this one (the shared layer decided the order, this instance cannot tell):
    // drop the upper copies then, the next read takes the shared layer's.
    boolean keepUpper = after != null && stack.fence.admits(key, ticket);
    for (int i = stack.last - 1; i >= 0; i--) {
      if (!keepUpper) {
        if (stack.layers.get(i).remove(key) != null) {
          stack.metrics.recordLayer(i, LayerEvent.REMOVAL);
        }
      } else {
        stack.layers.get(i).put(key, stack.capped(after, i, nowMillis));
        stack.metrics.recordLayer(i, LayerEvent.WRITE);
      }
    }
  }

  /**
   * Compute on the top layer alone: the whole compute of a one-layer stack, and in graceful mode
   * the fallback when the authoritative layer is unavailable (the remote layer catches up on
   * later writes).
   */
  private StoredEntry<V> computeLocally(K key, long nowMillis,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    @SuppressWarnings("unchecked")
    StoredEntry<V>[] before = new StoredEntry[1];
    StoredEntry<V> after = stack.top.compute(key, (k, current) -> {
      StoredEntry<V> visible = current != null && stack.tagBarriers.hides(current) ? null : current;
      before[0] = visible;
      StoredEntry<V> result = remapping.apply(k, visible);
      return result == null || result == visible ? result : stack.capped(result, 0, nowMillis);
    });
    count(0, before[0], after);
    return after;
  }

  private void count(int layer, StoredEntry<V> before, StoredEntry<V> after) {
    if (after != null && after != before) {
      stack.metrics.recordLayer(layer, LayerEvent.WRITE);
    } else if (after == null && before != null) {
      stack.metrics.recordLayer(layer, LayerEvent.REMOVAL);
    }
  }
}
