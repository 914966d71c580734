package io.layercache.coordinator;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerStatistics;
import io.layercache.LoadStatistics;
import io.layercache.metrics.CacheMetrics;
import io.layercache.Loader;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.event.EventHub;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.memory.MemoryLayer;
import java.util.ArrayList;
import java.util.Collection;
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
 *   <li>Reads count JCache hits and misses on the cache's {@link io.layercache.metrics.MetricsRecorder} (in {@link EntryReads}); everything
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
  private final CacheMetrics cacheMetrics;
  private final EventHub<K> events;
  private final ChangeFeed<K, V> feed;
  private final EntryWrites<K, V> writes;
  private final LoadPath<K, V> loads;
  private final BackgroundRefresh<K, V> refresh;
  private final TypeCheck<K, V> types;
  private final CacheDiagnostics<K, V> diagnostics;
  private final RemoteChanges<K, V> remote;
  private final EntryReads<K, V> reads;
  private final OutageWrites<K, V> outage;
  /** The memory layer of a memory-only cache that keeps eternal, untagged values bare, or null. */
  private final @Nullable MemoryLayer<K, V> bareMemory;

  /** The core over {@code parts}; builds its write, load and refresh paths. */
  public CacheCore(CoreParts<K, V> parts) {
    this.name = parts.name();
    this.stack = parts.stack();
    this.time = parts.time();
    this.writeClock = parts.writeClock();
    this.tagBarriers = parts.tagBarriers();
    this.copier = parts.copier();
    this.expiry = parts.expiry();
    this.cacheMetrics = parts.cacheMetrics();
    this.events = parts.events();
    this.feed = parts.feed();
    this.outage = new OutageWrites<>(name, stack, feed, parts.executor());
    this.writes = new EntryWrites<>(stack, expiry, writeClock, time, copier, feed, outage);
    this.loads = new LoadPath<>(parts, writes);
    this.refresh = new BackgroundRefresh<>(parts, writes);
    this.types = parts.types();
    this.diagnostics = new CacheDiagnostics<>(parts, refresh);
    this.remote = new RemoteChanges<>(name, events, stack, tagBarriers, parts.distributed());
    this.reads = new EntryReads<>(parts, loads, refresh);
    this.bareMemory = stack.reads().bareTop();
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

  // ---------------------------------------------------------------- reads ({@link EntryReads})

  /**
   * {@link EntryReads#read}. A memory-only cache that keeps eternal, untagged values bare has its
   * memory layer read right here, two field loads from the caller: on the hit path every
   * indirection is a dependent load, and a shorter call tree lets the JIT inline all of it.
   */
  public @Nullable V read(K key, @Nullable Loader<? super K, ? extends V> loader, EntryOptions options) {
    MemoryLayer<K, V> memory = bareMemory;
    if (memory != null) {
      return reads.readHeld(key, memory.held(key), loader, options);
    }
    return reads.read(key, loader, options);
  }

  /** {@link EntryReads#readAll}. */
  public Map<K, V> readAll(Collection<? extends K> keys, @Nullable BatchLoader<K, V> loader, EntryOptions options) {
    return reads.readAll(keys, loader, options);
  }

  /** {@link EntryReads#fetch}. */
  public <R> R fetch(K key, Loader<? super K, ? extends V> loader, java.util.function.Function<@Nullable V, R> use) {
    return reads.fetch(key, loader, use);
  }

  /** {@link EntryReads#liveEntry}. */
  public @Nullable StoredEntry<V> liveEntry(K key) {
    return reads.liveEntry(key);
  }

  /** {@link EntryReads#touch}. */
  public void touch(K key, StoredEntry<V> entry) {
    reads.touch(key, entry);
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
      if (reads.liveEntry(key) == null) {
        absent.add(key);
      }
    }
    if (!absent.isEmpty()) {
      loads.loadAll(absent, Map.of(), loader, options);
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

  /**
   * Turns the per-layer counters on or off; the cache turns them on and off with its statistics,
   * so a cache nobody observes pays nothing for them on its hit path. Load counters always count.
   */
  public void countLayerEvents(boolean on) {
    cacheMetrics.countLayers(on);
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
}
