package io.layercache.coordinator;

import io.layercache.event.CacheEvent;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.memory.MemoryLayer;
import io.layercache.metrics.LayerEvent;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The read side of a {@link LayerStack}: top-down reads with backfill, tag barriers, stale copies
 * kept for stale-while-revalidate and fail-safe, the remote soft timeout, and the side-effect-free
 * reads diagnostics and re-checks use.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class StackReads<K, V> {

  private final LayerStack<K, V> stack;
  /** The one layer, when it is a memory layer keeping eternal values bare; else null. */
  private final @Nullable MemoryLayer<K, V> bareTop;

  /** Per layer: reads of the same key shared by concurrent callers; null for in-process layers. */
  private final List<@Nullable SharedReads<K, V>> sharedReads;

  StackReads(LayerStack<K, V> stack) {
    this.stack = stack;
    List<@Nullable SharedReads<K, V>> shared = new ArrayList<>(stack.layers.size());
    for (LayerAccessor<K, V> layer : stack.layers) {
      shared.add(layer.inProcess() ? null : new SharedReads<>());
    }
    this.sharedReads = shared;
    this.bareTop = stack.last == 0 && stack.top.layer() instanceof MemoryLayer<K, V> memory
        && memory.keepsBareValues() ? memory : null;
  }

  /**
   * The entry of {@code key}: the first live one top-down, or the bottom layer's entry when it is
   * past its expiry (for the caller to expire), or null. With {@code staleUsable} (a read through a
   * loader) an expired upper-layer copy that fail-safe may serve is kept as the read's fallback:
   * returned when the layers below fail, or, with the remote soft timeout on, when they are slow
   * (the remote read goes on in the background).
   */
  StoredEntry<V> get(K key, boolean staleUsable, OperationContext operation) {
    return stack.last == 0 ? getFromOnlyLayer(key) : walk(key, staleUsable, operation);
  }

  /** {@link #get} of a stack of several layers: top-down, with backfill and the fail-safe fallback. */
  private StoredEntry<V> walk(K key, boolean staleUsable, OperationContext operation) {
    StoredEntry<V> fallback = null;
    long ticket = stack.fence.open();
    for (int i = 0; i <= stack.last; i++) {
      LayerAccessor<K, V> layer = stack.layers.get(i);
      if (skipped(layer, key, operation)) {
        continue;
      }
      SharedReads.Answer<V> answer; // null for a read not shared (in-process reads allocate nothing)
      StoredEntry<V> entry;
      try {
        answer = fallback == null ? readShared(i, layer, key, operation) : null;
        entry = answer == null ? read(layer, key, fallback, operation) : answer.entry();
      } catch (LayerUnavailableException e) {
        failed(layer, key, e, operation);
        if (fallback != null) {
          return fallback; // the remote layer is down: go on with the stale fallback
        }
        continue;
      }
      if (entry != null && entry == fallback) {
        return fallback; // the remote soft timeout passed
      }
      entry = visible(i, key, entry);
      if (entry == null) {
        continue;
      }
      if (!isExpired(entry)) {
        return hit(i, key, entry, answer != null && answer.joined() ? NO_BACKFILL : ticket); // first caller copies up
      }
      UpperCopy copy = expired(i, layer, key, entry, staleUsable);
      if (copy == UpperCopy.SERVE) {
        return entry;
      }
      fallback = copy == UpperCopy.FALLBACK ? entry : fallback;
    }
    return null;
  }

  /** True when graceful mode skips {@code layer} in this operation (counted as skipped). */
  private boolean skipped(LayerAccessor<K, V> layer, K key, OperationContext operation) {
    if (layer.skips(operation)) {
      layer.skipped(key);
      return true;
    }
    return false;
  }

  /** A layer that could not be read: degraded for this operation (graceful mode) and counted as skipped. */
  private void failed(LayerAccessor<K, V> layer, K key, LayerUnavailableException e, OperationContext operation) {
    layer.degrade(e, operation);
    layer.skipped(key);
  }

  /**
   * An expired entry found in layer {@code i}, counted as a miss: the bottom layer's is served to the
   * caller (to expire it), an upper layer's copy is kept, served or dropped ({@link #upperCopy}).
   */
  private UpperCopy expired(int i, LayerAccessor<K, V> layer, K key, StoredEntry<V> entry, boolean staleUsable) {
    stack.miss(i, key);
    return i == stack.last ? UpperCopy.SERVE : upperCopy(layer, key, entry, staleUsable);
  }

  /**
   * Layer {@code i}'s read of {@code key}, shared with concurrent readers, or null when the layer is
   * in-process. The read of the layer with the load leases takes the key's lease too when the
   * operation asked for it and nothing is stored ({@link OperationContext#leaseWithSharedRead}).
   */
  private SharedReads.Answer<V> readShared(int i, LayerAccessor<K, V> layer, K key, OperationContext operation) {
    SharedReads<K, V> shared = sharedReads.get(i);
    if (shared == null) {
      return null;
    }
    java.time.Duration leaseTime = layer == stack.authoritative() ? operation.leaseWithSharedRead() : null;
    return shared.read(key, leaseTime == null ? () -> layer.get(key) : () -> {
      io.layercache.layer.LoadLeases.Read<V> read = layer.readOrLease(key, leaseTime);
      if (read.lease() != null) {
        operation.leaseTaken(read.lease());
      } else if (read.heldElsewhere()) {
        operation.leaseHeldElsewhere();
      }
      return read.entry();
    });
  }

  /**
   * Reads one layer that is not shared with concurrent callers: an in-process one, or a remote one
   * within the remote soft timeout when the read holds a stale fallback.
   */
  private StoredEntry<V> read(LayerAccessor<K, V> layer, K key, StoredEntry<V> fallback, OperationContext operation) {
    if (fallback != null && stack.softTimeout != null && !layer.inProcess()) {
      return layer.getWithin(key, stack.softTimeout.timeout(), stack.softTimeout.reads(), fallback, operation);
    }
    return layer.get(key);
  }

  /** The entry a layer returned, or null (a miss, counted) when absent or hidden by a tag barrier (then removed). */
  private StoredEntry<V> visible(int i, K key, StoredEntry<V> entry) {
    if (entry == null) {
      stack.miss(i, key);
      return null;
    }
    if (stack.tagBarriers.hides(entry)) {
      stack.layers.get(i).remove(key, entry);
      stack.metrics.recordLayer(i, LayerEvent.REMOVAL);
      stack.miss(i, key);
      return null;
    }
    return entry;
  }

  private boolean isExpired(StoredEntry<V> entry) {
    return entry.expireAt() != StoredEntry.ETERNAL && entry.expireAt() <= stack.time.currentTimeMillis();
  }

  /** The ticket of a hit the layers above are not to be given (a shared read's joiner: its first caller copies it up). */
  private static final long NO_BACKFILL = Long.MIN_VALUE;

  /** A live entry found in layer {@code i}: counted, published, and copied into the layers above. */
  private StoredEntry<V> hit(int i, K key, StoredEntry<V> entry, long ticket) {
    stack.metrics.recordLayer(i, LayerEvent.HIT);
    if (stack.events.isActive() && !entry.isNotFound()) {
      stack.events.publish(new CacheEvent.Hit<>(stack.cacheName, key, stack.layers.get(i).name()));
    }
    if (i > 0 && ticket != NO_BACKFILL) {
      stack.backfill(key, entry, i, stack.time.currentTimeMillis(), ticket);
    }
    return entry;
  }

  /** What a read does with an upper layer's expired copy. */
  private enum UpperCopy {
    /** Serve it now: its stale-while-revalidate refresh runs (no remote round trip). */
    SERVE,
    /** Keep it as the read's fail-safe fallback should the layers below fail (and for concurrent readers). */
    FALLBACK,
    /** Keep it for later stale readers, read on. */
    KEEP,
    /** Removed; read on. */
    DROP
  }

  private UpperCopy upperCopy(LayerAccessor<K, V> layer, K key, StoredEntry<V> expired, boolean staleUsable) {
    long nowMillis = stack.time.currentTimeMillis();
    boolean keepForStaleReaders = staleUsable && stack.staleReads != null && !expired.isNotFound()
        && stack.staleReads.keep(expired, nowMillis);
    if (keepForStaleReaders && stack.staleReads.serveLocally(key)) {
      return UpperCopy.SERVE;
    }
    if (staleUsable && stack.staleFallback != null && !expired.isNotFound() && stack.staleFallback.allows(expired, nowMillis)) {
      return UpperCopy.FALLBACK; // a load or a newer read replaces it
    }
    if (keepForStaleReaders) {
      return UpperCopy.KEEP;
    }
    layer.remove(key, expired);
    return UpperCopy.DROP;
  }


  /** {@link #get} for the common one-layer stack: no loop, no backfill, one clock read at most. */
  private StoredEntry<V> getFromOnlyLayer(K key) {
    return onlyLayerEntry(key, stack.top.get(key));
  }

  /** The memory layer of a one-layer stack that keeps eternal, untagged values bare, or null. */
  @Nullable MemoryLayer<K, V> bareTop() {
    return bareTop;
  }

  /**
   * What a one-layer stack's read makes of the entry its layer held (null for none): the live
   * entry (a hit), an expired one (for the caller to expire), or null (a miss, counted).
   */
  StoredEntry<V> onlyLayerEntry(K key, StoredEntry<V> entry) {
    if (entry == null) {
      stack.miss(0, key);
      return null;
    }
    if (stack.tagBarriers.hides(entry)) {
      stack.top.remove(key, entry);
      stack.metrics.recordLayer(0, LayerEvent.REMOVAL);
      stack.miss(0, key);
      return null;
    }
    if (entry.expireAt() != StoredEntry.ETERNAL && entry.expireAt() <= stack.time.currentTimeMillis()) {
      stack.miss(0, key);
      return entry;
    }
    stack.metrics.recordLayer(0, LayerEvent.HIT);
    if (stack.events.isActive() && !entry.isNotFound()) {
      stack.events.publish(new CacheEvent.Hit<>(stack.cacheName, key, stack.top.name()));
    }
    return entry;
  }

  /**
   * The top-most live entry of {@code key} in the local layers only, or null; no side effects.
   * For re-checks of stores made by this JVM, which always pass through the local layers.
   */
  LayerStack.Located<K, V> peekLocal(K key) {
    long nowMillis = stack.time.currentTimeMillis();
    for (LayerAccessor<K, V> layer : stack.layers) {
      if (!layer.inProcess()) {
        break;
      }
      StoredEntry<V> entry = layer.get(key);
      if (entry != null && !stack.tagBarriers.hides(entry) && !entry.isExpiredAt(nowMillis)) {
        return new LayerStack.Located<>(layer, entry);
      }
    }
    return null;
  }

  /**
   * The authoritative layer's entry of {@code key} (live or not, null when absent or hidden by a
   * tag barrier); no side effects. In graceful mode an unavailable layer answers with the top
   * layer's entry instead.
   */
  StoredEntry<V> authoritativeEntry(K key, OperationContext operation) {
    StoredEntry<V> entry;
    try {
      entry = stack.authoritative().skips(operation) ? stack.top.get(key) : stack.authoritative().get(key);
    } catch (LayerUnavailableException e) {
      stack.degradeOrThrow(e, operation);
      entry = stack.top.get(key);
    }
    return entry == null || stack.tagBarriers.hides(entry) ? null : entry;
  }


  /**
   * For diagnostics: the top-most live entry of {@code key} and its layer, else the authoritative
   * layer's expired entry (kept for fail-safe or stale-while-revalidate), else null. No side effects.
   */
  LayerStack.Located<K, V> inspect(K key) {
    OperationContext operation = stack.newOperation();
    long nowMillis = stack.time.currentTimeMillis();
    for (LayerAccessor<K, V> layer : stack.layers) {
      if (layer.skips(operation)) {
        continue;
      }
      StoredEntry<V> entry;
      try {
        entry = layer.get(key);
      } catch (LayerUnavailableException e) {
        layer.degrade(e, operation);
        continue;
      }
      if (entry == null || stack.tagBarriers.hides(entry)) {
        continue;
      }
      if (!entry.isExpiredAt(nowMillis) || layer == stack.authoritative()) {
        return new LayerStack.Located<>(layer, entry);
      }
    }
    return null;
  }
}
