package io.layercache.coordinator;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerStatistics;
import io.layercache.LoadStatistics;
import io.layercache.layer.Layer;
import io.layercache.metrics.CacheMetrics;
import io.layercache.metrics.LoadEvent;
import io.layercache.Loader;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.MetricsRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The cache core: one cache's entry semantics over its layer stack — reads, expiry, loads,
 * stores, refreshes, fail-safe, negative caching, tags — for every front end (the JCache adapter,
 * the {@code LayerCache} extensions, later an async API). It never calls a front end: what it
 * changed goes out once, after commit, on its {@link ChangeFeed}.
 *
 * <ul>
 *   <li>Values returned are copies when the cache stores by value.
 *   <li>Reads count JCache hits and misses on the cache's {@link MetricsRecorder}; everything
 *       written is counted from the feed.
 *   <li>Thread-safe; each operation carries its own {@link OperationContext}.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheCore<K, V> {

  private final String name;
  private final LayerStack<K, V> stack;
  private final TimeSource time;
  private final WriteClock writeClock;
  private final TagBarriers tagBarriers;
  private final Copier copier;
  private final ExpiryRules expiry;
  private final FailSafeSettings failSafe;
  private final CacheMetrics cacheMetrics;
  private final EventHub<K> events;
  private final ChangeFeed<K, V> feed;
  private final MetricsRecorder metrics;
  private final EntryWrites<K, V> writes;
  private final LoadPath<K, V> loads;
  private final BackgroundRefresh<K, V> refresh;
  private final TypeCheck<K, V> types;
  private final CacheDiagnostics<K, V> diagnostics;
  private final RemoteChanges<K, V> remote;
  private final OutageWrites<K, V> outage;

  /** The core over {@code parts}; builds its write, load and refresh paths. */
  public CacheCore(CoreParts<K, V> parts) {
    this.name = parts.name();
    this.stack = parts.stack();
    this.time = parts.time();
    this.writeClock = parts.writeClock();
    this.tagBarriers = parts.tagBarriers();
    this.copier = parts.copier();
    this.expiry = parts.expiry();
    this.failSafe = parts.failSafe();
    this.cacheMetrics = parts.cacheMetrics();
    this.events = parts.events();
    this.feed = parts.feed();
    this.metrics = parts.metrics();
    this.outage = new OutageWrites<>(name, stack, feed, parts.executor());
    this.writes = new EntryWrites<>(stack, expiry, writeClock, time, copier, feed, outage);
    this.loads = new LoadPath<>(parts, writes);
    this.refresh = new BackgroundRefresh<>(parts, writes);
    this.types = parts.types();
    this.diagnostics = new CacheDiagnostics<>(parts, refresh);
    this.remote = new RemoteChanges<>(stack, tagBarriers, parts.distributed());
    feed.subscribe(new ChangeEvents<>(name, events));
  }

  /** The cache's name. */
  public String name() {
    return name;
  }

  /** The post-commit change feed. */
  public ChangeFeed<K, V> changes() {
    return feed;
  }

  /** The typed events. */
  public EventHub<K> events() {
    return events;
  }

  // ---------------------------------------------------------------- reads

  /**
   * The value of {@code key}: a live entry is a hit; otherwise the loader (when there is one)
   * runs once per key with the entry's stale value as its fail-safe fallback, or a stale value
   * is served while it is revalidated.
   *
   * @return a copy of the value, or null
   */
  public @Nullable V read(K key, @Nullable Loader<? super K, ? extends V> loader, EntryOptions options) {
    OperationContext operation = stack.newOperation();
    StoredEntry<V> entry = stack.get(key, loader != null, operation);
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
      OperationContext operation = stack.newOperation();
      StoredEntry<V> entry = stack.get(key, loader != null, operation);
      Object served = served(key, entry, one, options, operation);
      if (served == MISS) {
        StoredEntry<V> fallback = retainOrExpire(key, entry, operation);
        if (fallback != null && fallback.isLive(time)) {
          served = fallback.isNotFound() ? negativeHit(key) : hit(key, fallback, operation);
        } else {
          metrics.recordMisses(1);
          toLoad.add(key);
          if (fallback != null) {
            stale.put(key, fallback);
          }
          continue;
        }
      }
      if (served != null) {
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
   * JCache {@code loadAll}: loads the keys without a live entry through the load path (one-key
   * rules kept, see {@link #readAll}), or, with {@code replaceExisting}, every key in one batch
   * call, stored over live entries. Counts no reads.
   */
  public void loadAll(Collection<? extends K> keys, BatchLoader<K, V> loader, EntryOptions options,
      boolean replaceExisting) throws Exception {
    if (replaceExisting) {
      Map<K, V> loaded = loader.loadAll(new ArrayList<>(keys));
      Map<K, V> asked = new LinkedHashMap<>();
      if (loaded != null) {
        for (K key : keys) {
          V value = loaded.get(key);
          if (value != null) {
            types.requireValue(value); // a mistyped loader fails here, not on a later get
            asked.put(key, value);
          }
        }
      }
      storeLoadedAll(asked, options, true);
      return;
    }
    List<K> absent = new ArrayList<>();
    for (K key : keys) {
      if (liveEntry(key) == null) {
        absent.add(key);
      }
    }
    if (!absent.isEmpty()) {
      loads.loadAll(absent, Map.of(), loader, options);
    }
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

  /** The keys of the authoritative layer; weakly consistent, may include expired entries. */
  public Iterator<K> keys() {
    return stack.keys();
  }

  // ---------------------------------------------------------------- writes

  /**
   * Applies {@code mutation} to {@code key} atomically (with {@code options} for a value it
   * stores) and publishes what it changed.
   */
  public Mutation.Outcome<V> mutate(K key, Mutation<V> mutation, EntryOptions options, Change.Origin origin) {
    return writes.mutate(key, mutation, options, origin, stack.newOperation());
  }

  /**
   * Stores {@code value} (already copied when the cache stores by value) over whatever is there,
   * running {@code beforeCommit} once before it is stored; reads the previous entry only when an
   * observer or the expiry policy needs it, and always in the key's atomic section when
   * {@code beforeCommit} has {@code sideEffects} (a cache writer).
   */
  public Mutation.Outcome<V> put(K key, V value, EntryOptions options, Runnable beforeCommit, boolean sideEffects) {
    return writes.put(key, value, options, beforeCommit, sideEffects, stack.newOperation());
  }

  /**
   * Applies a mutation per key, publishing every change together at the end (batch operations:
   * one feed delivery, listeners see the batch in order).
   */
  public void mutateAll(Iterable<? extends K> keys, java.util.function.Function<K, Mutation<V>> mutations,
      EntryOptions options, Change.Origin origin) {
    ChangeBatch<K, V> batch = new ChangeBatch<>();
    try {
      for (K key : keys) {
        writes.mutate(key, mutations.apply(key), options, origin, stack.newOperation(), batch);
      }
    } finally {
      feed.publish(batch.changes());
    }
  }

  /**
   * Stores the values of a batch load: where no live entry appeared meanwhile, or over it when
   * {@code replaceExisting}.
   */
  public void storeLoadedAll(Map<K, V> loaded, EntryOptions options, boolean replaceExisting) {
    ChangeBatch<K, V> batch = new ChangeBatch<>();
    try {
      for (Map.Entry<K, V> e : loaded.entrySet()) {
        if (e.getKey() != null && e.getValue() != null) {
          writes.storeLoaded(e.getKey(), e.getValue(), options, replaceExisting, batch);
        }
      }
    } finally {
      feed.publish(batch.changes());
    }
  }

  /** Empties every layer and forgets tag barriers. */
  public void clear() {
    if (!stack.clear()) {
      outage.recordClear();
    }
    feed.publish(Change.cleared());
  }

  /**
   * Deletes every entry whose String key {@code pattern} matches, from every layer (a scan of the
   * keys), without calling the cache writer or JCache listeners, as {@link #clear()}; returns how
   * many the authoritative layer held.
   */
  public long deleteByPattern(io.layercache.KeyPattern pattern) {
    long removed = stack.removeMatching(pattern);
    feed.publish(Change.patternDeleted(pattern.glob()));
    return removed;
  }

  /** The approximate number of entries in the authoritative layer. */
  public long estimatedSize() {
    return stack.estimatedSize();
  }

  /** Invalidates every entry carrying {@code tag} written before now: one write, whatever the number of entries. */
  public void invalidateByTag(String tag) {
    long stamp = writeClock.next();
    tagBarriers.invalidate(tag, stamp);
    feed.publish(Change.tagInvalidated(tag, stamp));
  }

  /** Applies other instances' changes to this instance's in-process layers (the invalidation bus's entry point). */
  public RemoteChanges<K, V> remote() {
    return remote;
  }

  // ---------------------------------------------------------------- diagnostics

  /** Describes the entry of {@code key}, without touching statistics, expiry or events. */
  public Optional<EntryInfo<V>> entryInfo(K key) {
    return diagnostics.entryInfo(key);
  }

  /** Counters of each layer, fastest first. */
  public List<LayerStatistics> layerStatistics() {
    return diagnostics.layerStatistics();
  }

  /** Counters of loading, refreshing and cross-instance load coordination. */
  public LoadStatistics loadStatistics() {
    return cacheMetrics.loadStatistics();
  }

  /** Zeroes the per-layer and load counters. */
  public void resetLayerStatistics() {
    diagnostics.reset();
  }

  /** Closes the layers; loads and refreshes that finish later store nothing. */
  public void close() {
    writes.close();
    feed.close();
    stack.close();
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
