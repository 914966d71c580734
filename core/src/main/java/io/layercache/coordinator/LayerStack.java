package io.layercache.coordinator;

import io.layercache.DegradationMode;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.TimeSource;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.Layer;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.LayerEvent;
import io.layercache.metrics.MetricsRecorder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The ordered layers of one cache, fastest first, seen as one store.
 *
 * <ul>
 *   <li>Reads go top-down; the first layer holding a live entry answers, and the layers above it
 *       are backfilled with the entry's remaining lifetime, capped by each layer's own ttl.
 *   <li>Writes and removals go bottom-up (the shared, authoritative layer first). A backfill never
 *       replaces an upper layer's entry written later than the one it copies, so a reader racing a
 *       write cannot put the older value back; and no copy reaches an upper layer when a removal or
 *       another instance's invalidation came after the shared layer was read or written (the
 *       {@link BackfillFence}).
 *   <li>Entries hidden by a tag barrier are removed from the layer that holds them and read as
 *       absent.
 *   <li>The bottom layer is authoritative: its entry's expiry is the cache's expiry. An upper
 *       layer's copy past its own cap is skipped, not reported as expired.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LayerStack<K, V> {

  final String cacheName;
  final List<LayerAccessor<K, V>> layers;
  private final long[] layerTtlMillis;
  final MetricsRecorder metrics;
  final TagBarriers tagBarriers;
  final EventHub<K> events;
  final int last;
  final TimeSource time;
  final LayerAccessor<K, V> top;
  private final boolean graceful;
  final StackPolicies.StaleReads<K> staleReads;
  final StackPolicies.RemoteSoftTimeout softTimeout;
  final StackPolicies.StaleFallback staleFallback;
  private final StackReads<K, V> reads;
  private final StackWrites<K, V> writes;
  final BackfillFence fence = new BackfillFence();
  private final InProcessCopies<K, V> inProcessCopies;


  /**
   * @param layers         the layers, fastest first
   * @param layerTtlMillis each layer's cap on an entry's lifetime, 0 for none
   * @param staleReads     local stale-while-revalidate reads, or null when the cache has no window
   * @param staleFallback  which expired upper copies a read through a loader keeps as its fail-safe
   *                       fallback should the layers below fail; null without fail-safe
   * @param softTimeout    the remote soft timeout, or null for none
   */
  LayerStack(String cacheName, List<LayerAccessor<K, V>> layers, long[] layerTtlMillis, MetricsRecorder metrics,
      TagBarriers tagBarriers, EventHub<K> events, TimeSource time, DegradationMode mode,
      StackPolicies.StaleReads<K> staleReads, StackPolicies.StaleFallback staleFallback,
      StackPolicies.RemoteSoftTimeout softTimeout) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("cache '" + cacheName + "' needs at least one layer");
    }
    this.cacheName = cacheName;
    this.layers = List.copyOf(layers);
    this.layerTtlMillis = layerTtlMillis.clone();
    this.tagBarriers = tagBarriers;
    this.events = events;
    this.last = layers.size() - 1;
    this.top = this.layers.get(0);
    this.time = time;
    this.graceful = mode == DegradationMode.GRACEFUL;
    this.staleReads = staleReads;
    this.softTimeout = softTimeout;
    this.staleFallback = staleFallback;
    this.reads = new StackReads<>(this);
    this.writes = new StackWrites<>(this);
    this.inProcessCopies = new InProcessCopies<>(this);
    this.metrics = metrics;
  }

  /**
   * A context for one operation on this stack: a new one when a layer can fail, else a shared
   * one that records nothing.
   */
  public OperationContext newOperation() {
    return last == 0 && top.inProcess() ? OperationContext.IN_PROCESS : OperationContext.create();
  }

  /** The clock entries are judged by. */
  public TimeSource time() {
    return time;
  }

  /** The layers, fastest first. */
  public List<LayerAccessor<K, V>> layers() {
    return layers;
  }

  /** The authoritative (bottom) layer. */
  public LayerAccessor<K, V> authoritative() {
    return layers.get(last);
  }

  /**
   * The entry of {@code key}: the first live one top-down, or the bottom layer's entry when it
   * is past its expiry (for the caller to expire), or null.
   */
  public StoredEntry<V> get(K key, OperationContext operation) {
    return reads.get(key, false, operation);
  }

  /** {@link StackReads#get(Object, boolean, OperationContext)}. */
  public StoredEntry<V> get(K key, boolean staleUsable, OperationContext operation) {
    return reads.get(key, staleUsable, operation);
  }

  /** The read side, for the core's direct read of a memory-only stack ({@link StackReads#bareTop}). */
  StackReads<K, V> reads() {
    return reads;
  }

  /** {@link StackReads#peekLocal}. */
  public Located<K, V> peekLocal(K key) {
    return reads.peekLocal(key);
  }

  /** {@link StackReads#authoritativeEntry}. */
  public StoredEntry<V> authoritativeEntry(K key, OperationContext operation) {
    return reads.authoritativeEntry(key, operation);
  }

  /** {@link StackReads#inspect}. */
  public Located<K, V> inspect(K key) {
    return reads.inspect(key);
  }

  /** A live entry and the layer it was found in. */
  public record Located<K, V>(Layer<K, V> layer, StoredEntry<V> entry) {}

  /** Brings the layers above the authoritative one up to date with its {@code entry} (never back in time). */
  public void refreshUpperLayers(K key, StoredEntry<V> entry, long ticket) {
    if (last > 0) {
      backfill(key, entry, last, time.currentTimeMillis(), ticket);
    }
  }

  /** A ticket for {@link #refreshUpperLayers}, taken before reading the entry it will copy up. */
  public long backfillTicket() {
    return fence.open();
  }

  /** {@link StackWrites#put}. */
  public void put(K key, StoredEntry<V> entry, long nowMillis, OperationContext operation) {
    writes.put(key, entry, nowMillis, operation);
  }

  /** {@link StackWrites#compute}. */
  public StoredEntry<V> compute(K key, long nowMillis,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping, OperationContext operation) {
    return writes.compute(key, nowMillis, remapping, operation, false);
  }

  /** {@link StackWrites#compute}; {@code likelyAbsent}: the authoritative layer may write "if still absent" first. */
  public StoredEntry<V> compute(K key, long nowMillis,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping, OperationContext operation,
      boolean likelyAbsent) {
    return writes.compute(key, nowMillis, remapping, operation, likelyAbsent);
  }

  /** Runs a layer call; in graceful mode an unavailable layer is skipped (false). */
  boolean tolerate(Runnable call, OperationContext operation) {
    try {
      call.run();
      return true;
    } catch (LayerUnavailableException e) {
      degradeOrThrow(e, operation);
      return false;
    }
  }

  /** Strict mode: rethrows; graceful mode: the rest of the operation skips layers that can fail. */
  void degradeOrThrow(LayerUnavailableException e, OperationContext operation) {
    authoritative().degrade(e, operation);
  }

  /**
   * True while {@code operation} skips remote layers, so callers can skip other remote work too,
   * e.g. cross-instance load coordination.
   */
  public boolean isSkippingRemote(OperationContext operation) {
    return last > 0 && authoritative().skips(operation);
  }

  /** Removes {@code key} from every layer, bottom-up; returns the authoritative entry removed. */
  public StoredEntry<V> remove(K key, OperationContext operation) {
    return removeAll(key, operation);
  }

  /** Removes {@code key} from every layer only if the authoritative entry is still the same write as {@code expected}. */
  public boolean remove(K key, StoredEntry<V> expected, OperationContext operation) {
    if (authoritative().skips(operation)) {
      return top.remove(key, expected);
    }
    boolean removedFromAuthority;
    try {
      removedFromAuthority = authoritative().remove(key, expected);
    } catch (LayerUnavailableException e) {
      degradeOrThrow(e, operation);
      return top.remove(key, expected);
    }
    if (!removedFromAuthority) {
      return false;
    }
    metrics.recordLayer(last, LayerEvent.REMOVAL);
    fence.invalidate(key);
    for (int i = last - 1; i >= 0; i--) {
      if (layers.get(i).remove(key) != null) {
        metrics.recordLayer(i, LayerEvent.REMOVAL);
      }
    }
    return true;
  }

  /**
   * What {@link #expire} did: whether it removed the expired write, and the live authoritative
   * entry when only an upper layer's copy (capped by that layer's ttl) had expired (possibly a
   * remembered "not found" another instance wrote meanwhile).
   */
  public record Expiry<V>(boolean removed, StoredEntry<V> live) {}

  /**
   * Removes {@code expected}, which a reader found expired: from the authoritative layer only if
   * the write there is the same and expired by the authoritative layer's own reckoning, so an
   * upper copy that expired early (its layer's ttl) or between the read and this call never
   * takes the live entry with it. Expired upper copies of the write are removed either way.
   */
  public Expiry<V> expire(K key, StoredEntry<V> expected, long nowMillis, OperationContext operation) {
    boolean[] removed = new boolean[1];
    java.util.function.BiFunction<K, StoredEntry<V>, StoredEntry<V>> removeIfExpired = (k, current) -> {
      removed[0] = current != null && expected.isSameWriteAs(current) && current.isExpiredAt(nowMillis);
      return removed[0] ? null : current;
    };
    StoredEntry<V> after;
    long ticket = fence.open(); // before reading the shared entry it may copy up
    try {
      after = (authoritative().skips(operation) ? top : authoritative()).compute(key, removeIfExpired);
    } catch (LayerUnavailableException e) {
      degradeOrThrow(e, operation);
      after = top.compute(key, removeIfExpired);
    }
    if (removed[0]) {
      metrics.recordLayer(last, LayerEvent.REMOVAL);
    }
    for (int i = last - 1; i >= 0; i--) {
      LayerAccessor<K, V> layer = layers.get(i);
      StoredEntry<V> copy = layer.get(key);
      if (copy != null && (removed[0] || copy.isExpiredAt(nowMillis)) && expected.isSameWriteAs(copy)
          && layer.remove(key, copy)) {
        metrics.recordLayer(i, LayerEvent.REMOVAL);
      }
    }
    boolean live = after != null && !after.isExpiredAt(nowMillis) && !tagBarriers.hides(after);
    if (live) {
      refreshUpperLayers(key, after, ticket); // the upper copy was dropped: bring the live write up again
    }
    return new Expiry<>(removed[0], live ? after : null);
  }

  /** Empties every layer, bottom-up; false when graceful mode skipped the shared layer (it still holds entries). */
  public boolean clear() {
    OperationContext operation = newOperation();
    for (int i = last; i >= 0; i--) {
      LayerAccessor<K, V> layer = layers.get(i);
      if (i == last - 1) {
        fence.invalidateAll(); // the shared layer is empty: reads begun before may not copy old entries up
      }
      tolerate(layer::clear, operation);
    }
    tagBarriers.clear();
    return !operation.remoteFailed();
  }

  /**
   * Removes the keys {@code pattern} matches from every layer, bottom-up (graceful mode skips an
   * unreachable shared layer); returns how many the authoritative layer held.
   */
  public long removeMatching(io.layercache.KeyPattern pattern) {
    OperationContext operation = newOperation();
    long[] removed = new long[1];
    for (int i = last; i >= 0; i--) {
      LayerAccessor<K, V> layer = layers.get(i);
      if (i == last - 1) {
        fence.invalidateAll(); // reads begun before may not copy matched entries back up
      }
      boolean bottom = i == last;
      tolerate(() -> {
        long n = layer.removeMatching(pattern);
        removed[0] = bottom ? n : removed[0];
      }, operation);
    }
    return removed[0];
  }

  /** The in-process copies of this stack's entries, as other instances' changes reach them. */
  public InProcessCopies<K, V> inProcessCopies() {
    return inProcessCopies;
  }

  /** The keys of the authoritative layer; weakly consistent. */
  public Iterator<K> keys() {
    try {
      return authoritative().keys();
    } catch (LayerUnavailableException e) {
      if (!graceful) {
        throw e;
      }
      return top.keys();
    }
  }

  /** The approximate number of entries in the authoritative layer. */
  public long estimatedSize() {
    return authoritative().estimatedSize();
  }

  /** Closes every layer. */
  public void close() {
    for (LayerAccessor<K, V> layer : layers) {
      layer.close();
    }
  }

  private StoredEntry<V> removeAll(K key, OperationContext operation) {
    StoredEntry<V> removed = null;
    for (int i = last; i >= 0; i--) {
      if (i == last - 1) {
        fence.invalidate(key); // after the shared layer, before the copies above it
      }
      if (layers.get(i).skips(operation)) {
        continue;
      }
      StoredEntry<V> entry;
      try {
        entry = layers.get(i).remove(key);
      } catch (LayerUnavailableException e) {
        degradeOrThrow(e, operation);
        continue;
      }
      if (entry != null) {
        metrics.recordLayer(i, LayerEvent.REMOVAL);
        if (removed == null || i == last) {
          removed = entry;
        }
      }
    }
    return removed;
  }

  void backfill(K key, StoredEntry<V> entry, int foundAt, long nowMillis, long ticket) {
    for (int i = foundAt - 1; i >= 0; i--) {
      StoredEntry<V> copy = capped(entry, i, nowMillis);
      // Never back in time, and never over an invalidation that came after the read began.
      layers.get(i).compute(key, (k, current) ->
          (current == null || current.writtenAt() < entry.writtenAt()) && fence.admits(k, ticket) ? copy : current);
      metrics.recordLayer(i, LayerEvent.WRITE);
      if (events.isActive()) {
        events.publish(new CacheEvent.Backfill<>(cacheName, key, layers.get(foundAt).name(), layers.get(i).name()));
      }
    }
  }

  StoredEntry<V> capped(StoredEntry<V> entry, int layer, long nowMillis) {
    long ttl = layerTtlMillis[layer];
    if (ttl <= 0) {
      return entry;
    }
    long cap = nowMillis + ttl;
    return entry.expireAt() <= cap ? entry : entry.withExpireAt(cap);
  }

  void miss(int layer, K key) {
    metrics.recordLayer(layer, LayerEvent.MISS);
    if (events.isActive()) {
      events.publish(new CacheEvent.Miss<>(cacheName, key, layers.get(layer).name()));
    }
  }
}
