package io.layercache.coordinator;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.Loader;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.memory.MemoryLayer;
import io.layercache.metrics.LayerEvent;
import io.layercache.metrics.CacheMetrics;
import io.layercache.metrics.LoadEvent;
import io.layercache.metrics.MetricsRecorder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The read side of a {@link CacheCore}: hits (with access expiry and refresh-ahead), stale values
 * served while they are revalidated, remembered "not found"s, expiry of entries found past due
 * (or their retention as fail-safe's fallback), and misses handed to the {@link LoadPath}.
 * Values leave through the copier, so a store-by-value cache never hands out its own instances.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EntryReads<K, V> {

  private final String name;
  private final LayerStack<K, V> stack;
  private final TimeSource time;
  private final Copier copier;
  private final ExpiryRules expiry;
  private final FailSafeSettings failSafe;
  private final CacheMetrics cacheMetrics;
  private final EventHub<K> events;
  private final ChangeFeed<K, V> feed;
  private final MetricsRecorder metrics;
  private final LoadPath<K, V> loads;
  private final BackgroundRefresh<K, V> refresh;
  private final DistributedSingleFlight<K> distributed;

  EntryReads(CoreParts<K, V> parts, LoadPath<K, V> loads, BackgroundRefresh<K, V> refresh) {
    this.name = parts.name();
    this.stack = parts.stack();
    this.time = parts.time();
    this.copier = parts.copier();
    this.expiry = parts.expiry();
    this.failSafe = parts.failSafe();
    this.cacheMetrics = parts.cacheMetrics();
    this.events = parts.events();
    this.feed = parts.feed();
    this.metrics = parts.metrics();
    this.loads = loads;
    this.refresh = refresh;
    this.distributed = parts.distributed();
  }

  /**
   * The value of {@code key}: a live entry is a hit; otherwise the loader (when there is one)
   * runs once per key with the entry's stale value as its fail-safe fallback, or a stale value
   * is served while it is revalidated.
   *
   * @return a copy of the value, or null
   */
  public @Nullable V read(K key, @Nullable Loader<? super K, ? extends V> loader, EntryOptions options) {
    OperationContext operation = stack.newOperation();
    if (loader != null && distributed.leasesWithReads()) {
      return readLeasing(key, loader, options, operation);
    }
    return readFound(key, stack.get(key, loader != null, operation), loader, options, operation);
  }

  /**
   * {@link #read} of a read that will load on a miss, with distributed single-flight: the shared
   * layer's read also takes the key's lease when it finds nothing, and the lease is offered to
   * the key's flight (one round trip before the loader instead of two). A lease no flight claimed
   * is released when the read ends.
   */
  private @Nullable V readLeasing(K key, Loader<? super K, ? extends V> loader, EntryOptions options,
      OperationContext operation) {
    operation.leaseWithSharedRead(distributed.leaseTime(), lease -> distributed.offer(key, lease)::withdraw);
    try {
      StoredEntry<V> entry;
      try {
        entry = stack.get(key, true, operation);
      } finally {
        operation.endLeasing(); // only this first read takes the lease
      }
      return readFound(key, entry, loader, options, operation);
    } finally {
      operation.withdrawLease();
    }
  }



  /**
   * {@link #read} of a memory-only cache that keeps eternal, untagged values bare, once its memory
   * layer gave {@code held} for the key (null for nothing): a bare value is a plain hit.
   */
  @Nullable V readHeld(K key, @Nullable Object held, @Nullable Loader<? super K, ? extends V> loader,
      EntryOptions options) {
    if (held != null && MemoryLayer.isBare(held)) {
      return bareHit(key, held);
    }
    @SuppressWarnings("unchecked")
    StoredEntry<V> entry = stack.reads().onlyLayerEntry(key, (StoredEntry<V>) held);
    return readFound(key, entry, loader, options, OperationContext.IN_PROCESS);
  }

  /** A bare value held by the memory layer: a hit, counted and announced. */
  private V bareHit(K key, Object held) {
    cacheMetrics.recordLayer(0, LayerEvent.HIT);
    if (events.isActive()) {
      events.publish(new CacheEvent.Hit<>(name, key, stack.top.name()));
    }
    metrics.recordHits(1);
    @SuppressWarnings("unchecked")
    V value = (V) held;
    return copier.copy(value);
  }

  /** The rest of {@link #read} once the stack gave {@code entry} (null for nothing). */
  private @Nullable V readFound(K key, @Nullable StoredEntry<V> entry, @Nullable Loader<? super K, ? extends V> loader,
      EntryOptions options, OperationContext operation) {
    Object served = served(key, entry, loader, options, operation);
    if (served != MISS) {
      @SuppressWarnings("unchecked")
      V value = (V) served;
      return copier.copy(value);
    }
    return copier.copy(miss(key, entry, loader, options, operation));
  }

  /**
   * Reads many keys: each as {@link #read} would, except that the keys left to load are loaded
   * together, one batch call for the keys no other caller is loading ({@link LoadPath#loadAll}).
   *
   * @return copies of the values found, by key, in the keys' order
   */
  public Map<K, V> readAll(Collection<? extends K> keys, @Nullable BatchLoader<K, V> loader, EntryOptions options) {
    Map<K, V> result = new LinkedHashMap<>();
    Map<K, StoredEntry<V>> stale = new HashMap<>();
    List<K> toLoad = new ArrayList<>();
    Loader<K, V> one = loader == null ? null : key -> loader.loadAll(List.of(key)).get(key);
    for (K key : keys) {
      Object served = readForBatch(key, one, options, loader != null, stale);
      if (served == MISS) {
        toLoad.add(key);
      } else if (served != null) {
        @SuppressWarnings("unchecked")
        V value = (V) served;
        result.put(key, value);
      }
    }
    if (loader == null || toLoad.isEmpty()) {
      result.replaceAll((k, v) -> copier.copy(v));
      return result;
    }
    Map<K, V> loaded = loads.loadAll(toLoad, stale, loader, options);
    Map<K, V> ordered = new LinkedHashMap<>();
    for (K key : keys) {
      V value = result.containsKey(key) ? result.get(key) : loaded.get(key);
      if (value != null) {
        ordered.put(key, copier.copy(value));
      }
    }
    return ordered;
  }

  /**
   * One key of a batch read: what it serves (a value, null for nothing), or {@link #MISS} when it
   * is left to the batch load, its stale fail-safe fallback (if any) put in {@code stale}.
   */
  private Object readForBatch(K key, Loader<K, V> one, EntryOptions options, boolean loading,
      Map<K, StoredEntry<V>> stale) {
    OperationContext operation = stack.newOperation();
    StoredEntry<V> entry = stack.get(key, loading, operation);
    Object served = served(key, entry, one, options, operation);
    if (served != MISS) {
      return served;
    }
    StoredEntry<V> fallback = retainOrExpire(key, entry, operation);
    if (fallback != null && fallback.isLive(time)) {
      return fallback.isNotFound() ? negativeHit(key) : hit(key, fallback, operation);
    }
    metrics.recordMisses(1);
    if (fallback != null) {
      stale.put(key, fallback);
    }
    return MISS;
  }

  /**
   * Loads {@code key} once per JVM (joining a load in flight) for a caller that stores the value
   * itself, and hands it to {@code use}: an entry processor's read-through. Readers that join the
   * load wait until {@code use} returned, so they find the value stored.
   */
  public <R> R fetch(K key, Loader<? super K, ? extends V> loader, java.util.function.Function<@Nullable V, R> use) {
    return loads.fetch(key, loader, use);
  }


  /** Marks a read the top of the stack could not answer. */
  private static final Object MISS = new Object();

  /**
   * What the top of the stack answered: a live value (a hit), a stale value served while it is
   * revalidated, null for a remembered "not found", or {@link #MISS}.
   */
  private Object served(K key, StoredEntry<V> entry, Loader<? super K, ? extends V> loader, EntryOptions options,
      OperationContext operation) {
    if (entry != null && entry.isNotFound()) {
      if (entry.isLive(time)) {
        return negativeHit(key);
      }
      stack.remove(key, entry, operation);
      return MISS;
    }
    if (entry != null && entry.isLive(time)) {
      if (loader != null && refresh.dueAhead(key, entry)) {
        refresh.refresh(key, loader, options, entry);
      }
      return hit(key, entry, operation);
    }
    if (loader != null && entry != null && refresh.withinRevalidationWindow(entry)) {
      metrics.recordHits(1);
      cacheMetrics.recordLoad(LoadEvent.STALE_WHILE_REVALIDATE_SERVED);
      if (events.isActive()) {
        events.publish(new CacheEvent.StaleHit<>(name, key, CacheEvent.StaleHit.Reason.STALE_WHILE_REVALIDATE));
      }
      refresh.refresh(key, loader, options, entry);
      return entry.value();
    }
    return MISS;
  }

  private V hit(K key, StoredEntry<V> live, OperationContext operation) {
    touch(key, live, operation);
    metrics.recordHits(1);
    return live.value();
  }

  /** The rest of a read that found no live entry at the top: the authoritative entry, or a load. */
  private V miss(K key, StoredEntry<V> expired, Loader<? super K, ? extends V> loader, EntryOptions options,
      OperationContext operation) {
    // An expired entry that was a remembered "not found" is gone: a plain miss.
    StoredEntry<V> stale = expired != null && expired.isNotFound() ? null : retainOrExpire(key, expired, operation);
    if (stale != null && stale.isLive(time)) {
      // only an upper layer's capped copy had expired: the authoritative entry is live
      return stale.isNotFound() ? negativeHit(key) : hit(key, stale, operation);
    }
    metrics.recordMisses(1);
    return loader == null ? null : loads.load(key, loader, options, stale, operation);
  }

  private V negativeHit(K key) {
    cacheMetrics.recordLoad(LoadEvent.NOT_FOUND_HIT);
    metrics.recordMisses(1);
    if (events.isActive()) {
      events.publish(new CacheEvent.NegativeHit<>(name, key));
    }
    return null;
  }

  /**
   * The live entry of {@code key} (the cache's own instance), expiring it first when it is past
   * due; null when absent, expired or a remembered "not found". Counts nothing.
   */
  public @Nullable StoredEntry<V> liveEntry(K key) {
    OperationContext operation = stack.newOperation();
    StoredEntry<V> entry = stack.get(key, operation);
    if (entry != null && entry.isNotFound()) {
      if (!entry.isLive(time)) {
        stack.remove(key, entry, operation);
      }
      return null;
    }
    if (entry == null || entry.isLive(time)) {
      return entry;
    }
    StoredEntry<V> after = retainOrExpire(key, entry, operation);
    return after != null && after.isLive(time) && !after.isNotFound() ? after : null;
  }

  /**
   * An expired entry: kept as the stale fallback of the next load when fail-safe may still serve
   * it (returned, expired), otherwise removed and recorded expired (null) — unless only an upper
   * layer's copy had expired, in which case the live authoritative entry is returned.
   */
  private StoredEntry<V> retainOrExpire(K key, StoredEntry<V> expired, OperationContext operation) {
    if (expired == null) {
      return null;
    }
    if (expired.isNotFound()) {
      stack.remove(key, expired, operation);
      return null;
    }
    if (failSafe.servesStale(WriteClock.toMillis(expired.writtenAt()), now())) {
      return expired;
    }
    LayerStack.Expiry<V> expiry = stack.expire(key, expired, now(), operation);
    if (expiry.removed()) {
      feed.publish(Change.expired(key, expired.value()));
    }
    return expiry.live();
  }

  /** Applies access expiry after a read of {@code entry} outside a compute. */
  public void touch(K key, StoredEntry<V> entry) {
    touch(key, entry, stack.newOperation());
  }

  /** {@link #touch(Object, StoredEntry)} inside {@code operation} (graceful skipping carries over). */
  private void touch(K key, StoredEntry<V> entry, OperationContext operation) {
    if (expiry.accessIsNoop()) {
      return;
    }
    long now = now();
    long expireAt = expiry.onAccess(entry.expireAt(), now);
    if (expireAt != entry.expireAt()) {
      stack.compute(key, now, (k, current) -> entry.isSameWriteAs(current) ? current.withExpireAt(expireAt) : current,
          operation);
    }
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
