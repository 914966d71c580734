package io.layercache.jcache;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.Loader;
import io.layercache.codec.Copier;
import io.layercache.coordinator.DistributedSingleFlight;
import io.layercache.coordinator.LoadCounters;
import io.layercache.coordinator.LayerStack;
import io.layercache.coordinator.TagBarriers;
import io.layercache.TimeSource;
import io.layercache.coordinator.WriteClock;
import io.layercache.event.CacheEvent;
import io.layercache.event.CacheEventListener;
import io.layercache.event.EventHub;
import io.layercache.event.Subscription;
import io.layercache.jcache.event.EntryEvent;
import io.layercache.jcache.event.EventDispatcher;
import io.layercache.jcache.management.JCacheConfigurationBean;
import io.layercache.jcache.management.JCacheStatistics;
import io.layercache.jcache.management.JmxRegistration;
import io.layercache.jcache.processor.ProcessorEntry;
import io.layercache.layer.FencedWriteException;
import io.layercache.layer.Layer;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.StoredEntry;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LayerCache cache: the JCache {@link Cache} facade and the {@link LayerCache} extensions over
 * one {@link LayerStack}.
 *
 * <ul>
 *   <li>Every mutation runs inside the stack's atomic per-key compute; the cache writer is called
 *       there too, so a failing writer leaves the cache unchanged.
 *   <li>Listeners run after the entry is released (see {@link EventDispatcher}).
 *   <li>The closed check comes before argument checks, as JCache requires.
 *   <li>Store-by-value copies go through the configured {@link Copier} on the way in and out.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheProxy<K, V> implements Cache<K, V>, LayerCache<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(CacheProxy.class);

  private final String name;
  private final LayerCacheManager manager;
  private final LayerCacheConfiguration<K, V> configuration;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final boolean typeChecked;
  private final TimeSource time;
  private final WriteClock writeClock;
  private final TagBarriers tagBarriers;
  private final LayerStack<K, V> stack;
  private final Copier copier;
  private final ExpiryRules expiry;
  private final CacheLoader<K, V> cacheLoader;
  private final CacheWriter<K, V> cacheWriter;
  private final EventDispatcher<K, V> dispatcher;
  private final EventHub<K> events;
  private final DistributedSingleFlight<K> distributed;
  private final LoadCounters loadCounters = new LoadCounters();
  private final JCacheStatistics statistics = new JCacheStatistics();
  private final JCacheConfigurationBean configurationBean;
  private final Executor executor;
  private final EntryOptions defaultOptions;
  private final boolean readThrough;
  private final FailSafeSettings failSafe;
  private final BackgroundRefresh<K, V> refresh;
  private final LoadPath<K, V> loads;
  private volatile boolean statisticsEnabled;
  private volatile boolean managementEnabled;
  private volatile boolean closed;

  CacheProxy(CacheParts<K, V> parts) {
    this.name = parts.name();
    this.manager = parts.manager();
    this.configuration = parts.configuration();
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    this.typeChecked = keyType != Object.class || valueType != Object.class;
    this.time = parts.time();
    this.writeClock = new WriteClock(time);
    this.tagBarriers = parts.tagBarriers();
    this.events = parts.events();
    this.stack = parts.stack();
    this.copier = parts.copier();
    this.expiry = new ExpiryRules(parts.expiryPolicy());
    this.cacheLoader = parts.cacheLoader();
    this.cacheWriter = parts.cacheWriter();
    this.executor = parts.executor();
    this.defaultOptions = configuration.getDefaultEntryOptions();
    this.readThrough = configuration.isReadThrough() && cacheLoader != null;
    this.failSafe = configuration.getFailSafe();
    this.distributed = new DistributedSingleFlight<>(name, sharedLeases(stack), configuration.getSingleFlight(),
        configuration.getResilience().mode() == io.layercache.DegradationMode.GRACEFUL);
    this.refresh = new BackgroundRefresh<>(name, configuration.getRefresh(), stack, distributed, loadCounters, events,
        executor, time, this::storeRefreshed);
    if (configuration.getRefresh().windowMillis() > 0) {
      stack.useStaleReads(new LayerStack.StaleReads<>() {
        @Override
        @SuppressWarnings("unchecked")
        public boolean keep(StoredEntry<?> expired, long nowMillis) {
          return refresh.withinRevalidationWindow((StoredEntry<V>) expired);
        }

        @Override
        public boolean serveLocally(Object key) {
          return refresh.isRefreshing(key);
        }
      });
    }
    this.loads = new LoadPath<>(name, stack, distributed, loadCounters, events, executor, failSafe,
        configuration.getNegativeCaching().ttl(), writeClock, time, new LoadPath.Owner<>() {
          @Override
          public void storeLoaded(K key, V value, EntryOptions options, StoredEntry<V> stale, long fence) {
            storeLoadedValue(key, value, options, stale, fence);
          }

          @Override
          public void checkValueType(V value) {
            requireValueType(value);
          }

          @Override
          public K storedKey(K key) {
            return copier.copy(key);
          }
        });
    this.dispatcher = new EventDispatcher<>(executor, copier);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.configurationBean = new JCacheConfigurationBean(() -> getConfiguration(CompleteConfiguration.class));
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  /** The load leases of the bottom-most shared layer that offers them, or null. */
  private static <K, V> LoadLeases<K> sharedLeases(LayerStack<K, V> stack) {
    List<io.layercache.layer.Layer<K, V>> layers = stack.layers();
    for (int i = layers.size() - 1; i >= 0; i--) {
      LoadLeases<K> leases = layers.get(i).isLocal() ? null : layers.get(i).loadLeases();
      if (leases != null) {
        return leases;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireOpen();
    requireKey(key);
    return read(key, readThrough ? this::loadFromCacheLoader : null, defaultOptions);
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Map<K, V> result = new LinkedHashMap<>(keys.size());
    List<K> missing = new ArrayList<>();
    for (K key : keys) {
      StoredEntry<V> entry = liveEntry(key);
      if (entry == null) {
        missing.add(key);
      } else {
        touch(key, entry);
        result.put(key, copier.copy(entry.value()));
      }
    }
    if (statisticsEnabled) {
      statistics.recordHits(result.size());
      statistics.recordMisses(missing.size());
    }
    if (!missing.isEmpty() && readThrough) {
      Map<K, V> loaded = loadAllFromCacheLoader(missing);
      for (Map.Entry<K, V> e : loaded.entrySet()) {
        if (e.getKey() != null && e.getValue() != null) {
          storeLoaded(e.getKey(), e.getValue(), defaultOptions, false);
          result.put(e.getKey(), copier.copy(e.getValue()));
        }
      }
    }
    if (statisticsEnabled) {
      statistics.recordGetTime(start);
    }
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    requireKey(key);
    return liveEntry(key) != null;
  }

  @Override
  public V get(K key, Loader<? super K, ? extends V> loader) {
    return get(key, loader, defaultOptions);
  }

  @Override
  public V get(K key, Loader<? super K, ? extends V> loader, EntryOptions options) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(options, "options");
    return read(key, loader, options);
  }

  /**
   * The read path of {@code get}: a live entry is a hit; otherwise the loader (when there is one)
   * runs once per key, with the entry's stale value as its fail-safe fallback.
   */
  private V read(K key, Loader<? super K, ? extends V> loader, EntryOptions options) {
    boolean counting = statisticsEnabled;
    long start = counting ? System.nanoTime() : 0L;
    StoredEntry<V> entry = stack.get(key, loader != null);
    if (entry != null && entry.isNotFound()) {
      if (isLive(entry)) {
        // A remembered "not found": a miss that does not ask the loader again.
        loadCounters.increment(LoadCounters.Counter.NOT_FOUND_HITS);
        if (counting) {
          statistics.recordMisses(1);
          statistics.recordGetTime(start);
        }
        return null;
      }
      stack.remove(key, entry);
      entry = null;
    }
    V value;
    if (entry != null && isLive(entry)) {
      value = entry.value();
      touch(key, entry);
      if (counting) {
        statistics.recordHits(1);
      }
      if (loader != null && refresh.dueAhead(key, entry)) {
        refresh.refresh(key, loader, options, entry);
      }
    } else if (loader != null && entry != null && refresh.withinRevalidationWindow(entry)) {
      value = entry.value();
      if (counting) {
        statistics.recordHits(1);
      }
      refresh.refresh(key, loader, options, entry);
    } else {
      try (LayerStack.MissScope ignored = stack.missScope()) {
        StoredEntry<V> stale = retainOrExpire(key, entry);
        if (stale != null && isLive(stale)) {
          // only an upper layer's capped copy had expired: the authoritative entry is live
          if (stale.isNotFound()) {
            loadCounters.increment(LoadCounters.Counter.NOT_FOUND_HITS);
            value = null;
          } else {
            value = stale.value();
            touch(key, stale);
          }
          if (counting) {
            if (stale.isNotFound()) {
              statistics.recordMisses(1);
            } else {
              statistics.recordHits(1);
            }
          }
        } else {
          if (counting) {
            statistics.recordMisses(1);
          }
          value = loader == null ? null : loads.load(key, loader, options, stale);
        }
      }
    }
    if (counting) {
      statistics.recordGetTime(start);
    }
    return copier.copy(value);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = write(key, value, defaultOptions, true);
    finish(changes);
    if (statisticsEnabled && changes.puts > 0) {
      statistics.recordPutTime(start);
    }
  }

  @Override
  public void set(K key, V value, EntryOptions options) {
    requireOpen();
    requireEntry(key, value);
    Objects.requireNonNull(options, "options");
    finish(write(key, value, options, true));
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = new Changes<>();
    V stored = copier.copy(value);
    K storedKey = copier.copy(key);
    Object[] previous = new Object[1];
    stack.compute(storedKey, now(), (k, current) -> {
      changes.reset();
      previous[0] = null;
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      writeThrough(key, value);
      previous[0] = live == null ? null : live.value();
      return putEntry(k, stored, live, defaultOptions, now, changes);
    });
    @SuppressWarnings("unchecked")
    V old = (V) previous[0];
    if (old != null) {
      changes.hits++;
    } else {
      changes.misses++;
    }
    finish(changes);
    if (statisticsEnabled) {
      statistics.recordPutTime(start);
      statistics.recordGetTime(start);
    }
    return copier.copy(old);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    Objects.requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      requireEntry(e.getKey(), e.getValue());
    }
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Map<K, V> toStore = new LinkedHashMap<>(map);
    CacheWriterException failure = null;
    if (configuration.isWriteThrough() && cacheWriter != null && !map.isEmpty()) {
      Collection<Cache.Entry<? extends K, ? extends V>> pending = new ArrayList<>(map.size());
      for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
        pending.add(new EntryProxy<>(e.getKey(), e.getValue()));
      }
      try {
        cacheWriter.writeAll(pending);
      } catch (RuntimeException e) {
        failure = e instanceof CacheWriterException cwe ? cwe : new CacheWriterException("Cache writer failed in writeAll", e);
      }
      for (Cache.Entry<? extends K, ? extends V> notWritten : pending) {
        toStore.remove(notWritten.getKey());
      }
      if (failure == null && !pending.isEmpty()) {
        failure = new CacheWriterException("Cache writer did not write " + pending.size() + " of " + map.size() + " entries");
      }
    }
    Changes<K, V> changes = new Changes<>();
    for (Map.Entry<K, V> e : toStore.entrySet()) {
      merge(changes, write(e.getKey(), e.getValue(), defaultOptions, false));
    }
    finish(changes);
    if (statisticsEnabled && changes.puts > 0) {
      statistics.recordPutTime(start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = new Changes<>();
    V stored = copier.copy(value);
    boolean[] added = new boolean[1];
    stack.compute(copier.copy(key), now(), (k, current) -> {
      changes.reset();
      added[0] = false;
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      if (live != null) {
        changes.hits++;
        return live;
      }
      changes.misses++;
      writeThrough(key, value);
      added[0] = true;
      return putEntry(k, stored, null, defaultOptions, now, changes);
    });
    finish(changes);
    if (statisticsEnabled && added[0]) {
      statistics.recordPutTime(start);
    }
    return added[0];
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(oldValue, "oldValue");
    Objects.requireNonNull(newValue, "newValue");
    requireValueType(oldValue);
    requireValueType(newValue);
    return replaceEntry(key, oldValue, newValue) != null;
  }

  @Override
  public boolean replace(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    return replaceEntry(key, null, value) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireOpen();
    requireEntry(key, value);
    return copier.copy(replaceEntry(key, null, value));
  }

  /**
   * Replaces the live value of {@code key} with {@code newValue}, only if it equals
   * {@code expected} when that is given (a mismatch counts as an access).
   *
   * @return the replaced value, or null when nothing was replaced
   */
  private V replaceEntry(K key, V expected, V newValue) {
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = new Changes<>();
    V stored = copier.copy(newValue);
    Object[] previous = new Object[1];
    stack.compute(key, now(), (k, current) -> {
      changes.reset();
      previous[0] = null;
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      if (live == null) {
        changes.misses++;
        return null;
      }
      changes.hits++;
      if (expected != null && !live.value().equals(expected)) {
        return accessed(live, now);
      }
      writeThrough(key, newValue);
      previous[0] = live.value();
      return putEntry(k, stored, live, defaultOptions, now, changes);
    });
    finish(changes);
    if (statisticsEnabled) {
      statistics.recordGetTime(start);
      if (previous[0] != null) {
        statistics.recordPutTime(start);
      }
    }
    @SuppressWarnings("unchecked")
    V old = (V) previous[0];
    return old;
  }

  // ---------------------------------------------------------------- removals

  @Override
  public boolean remove(K key) {
    requireOpen();
    requireKey(key);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = removeEntry(key, true);
    finish(changes);
    if (statisticsEnabled && changes.removals > 0) {
      statistics.recordRemoveTime(start);
    }
    return changes.removals > 0;
  }

  @Override
  public boolean invalidate(K key) {
    requireOpen();
    requireKey(key);
    Changes<K, V> changes = removeEntry(key, false);
    finish(changes);
    return changes.removals > 0;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(oldValue, "oldValue");
    requireValueType(oldValue);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = new Changes<>();
    stack.compute(key, now(), (k, current) -> {
      changes.reset();
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      if (live == null) {
        changes.misses++;
        return null;
      }
      changes.hits++;
      if (!live.value().equals(oldValue)) {
        return accessed(live, now);
      }
      deleteThrough(key);
      changes.removals++;
      changes.event(EntryEvent.removed(this, k, live.value()));
      return null;
    });
    finish(changes);
    if (statisticsEnabled) {
      statistics.recordGetTime(start);
      if (changes.removals > 0) {
        statistics.recordRemoveTime(start);
      }
    }
    return changes.removals > 0;
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    requireKey(key);
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Changes<K, V> changes = new Changes<>();
    Object[] previous = new Object[1];
    stack.compute(key, now(), (k, current) -> {
      changes.reset();
      previous[0] = null;
      StoredEntry<V> live = expireIfDue(k, current, now(), changes);
      deleteThrough(key);
      if (live == null) {
        changes.misses++;
        return null;
      }
      changes.hits++;
      changes.removals++;
      previous[0] = live.value();
      changes.event(EntryEvent.removed(this, k, live.value()));
      return null;
    });
    finish(changes);
    if (statisticsEnabled) {
      statistics.recordGetTime(start);
      if (changes.removals > 0) {
        statistics.recordRemoveTime(start);
      }
    }
    @SuppressWarnings("unchecked")
    V old = (V) previous[0];
    return copier.copy(old);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    removeKeys(new LinkedHashSet<>(keys));
  }

  @Override
  public void removeAll() {
    requireOpen();
    Set<K> keys = new LinkedHashSet<>();
    for (Iterator<K> it = stack.keys(); it.hasNext(); ) {
      keys.add(it.next());
    }
    removeKeys(keys);
  }

  @Override
  public void clear() {
    requireOpen();
    stack.clear();
    if (events.isActive()) {
      events.publish(new CacheEvent.Cleared<>(name));
    }
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(processor, "entryProcessor");
    Changes<K, V> changes = new Changes<>();
    Object[] result = new Object[1];
    stack.compute(copier.copy(key), now(), (k, current) -> {
      changes.reset();
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      ProcessorEntry<K, V> entry = new ProcessorEntry<>(k, live == null ? null : copier.copy(live.value()),
          readThrough ? this::loadFromCacheLoader : null);
      try {
        result[0] = processor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      return applyProcessorEffect(k, entry, live, now, changes);
    });
    finish(changes);
    @SuppressWarnings("unchecked")
    T typed = (T) result[0];
    return typed;
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    requireOpen();
    requireKeys(keys);
    Objects.requireNonNull(processor, "entryProcessor");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      } catch (RuntimeException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(key, () -> {
          throw wrapped;
        });
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- loading

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    requireOpen();
    requireKeys(keys);
    if (cacheLoader == null) {
      if (listener != null) {
        listener.onCompletion();
      }
      return;
    }
    List<K> requested = new ArrayList<>(keys);
    executor.execute(() -> {
      try {
        List<K> toLoad = new ArrayList<>();
        for (K key : requested) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loadAllFromCacheLoader(toLoad);
        Changes<K, V> changes = new Changes<>();
        for (Map.Entry<K, V> e : loaded.entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            merge(changes, storeLoaded(e.getKey(), e.getValue(), defaultOptions, replaceExistingValues));
          }
        }
        finish(changes);
        if (listener != null) {
          listener.onCompletion();
        }
      } catch (Exception e) {
        if (listener != null) {
          listener.onException(e);
        } else {
          LOG.warn("cache={} loadAll failed", name, e);
        }
      }
    });
  }

  // ---------------------------------------------------------------- iteration

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    requireOpen();
    return new EntryIterator(stack.keys());
  }

  // ---------------------------------------------------------------- tags, info, statistics, events

  @Override
  public void invalidateByTag(String tag) {
    requireOpen();
    Objects.requireNonNull(tag, "tag");
    tagBarriers.invalidate(tag, writeClock.next());
    if (events.isActive()) {
      events.publish(new CacheEvent.TagInvalidated<>(name, tag));
    }
  }

  @Override
  public void invalidateByTags(Collection<String> tags) {
    requireOpen();
    Objects.requireNonNull(tags, "tags");
    for (String tag : tags) {
      invalidateByTag(tag);
    }
  }

  @Override
  public Optional<EntryInfo<V>> entryInfo(K key) {
    requireOpen();
    requireKey(key);
    LayerStack.Located<K, V> found = stack.inspect(key);
    if (found == null) {
      return Optional.empty();
    }
    StoredEntry<V> entry = found.entry();
    EntryInfo.Freshness freshness = freshnessOf(entry);
    if (freshness == null) {
      return Optional.empty();
    }
    Instant expiresAt = entry.expireAt() == StoredEntry.ETERNAL ? null : Instant.ofEpochMilli(entry.expireAt());
    V value = entry.isNotFound() ? null : copier.copy(entry.value());
    return Optional.of(new EntryInfo<>(value, found.layer().name(),
        Instant.ofEpochMilli(WriteClock.toMillis(entry.writtenAt())), expiresAt, entry.tags(), freshness));
  }

  @Override
  public List<LayerStatistics> layerStatistics() {
    List<LayerStatistics> layers = stack.statistics();
    Map<String, Long> coordination = new java.util.TreeMap<>(distributed.diagnostics());
    coordination.putAll(loadCounters.snapshot());
    // Loading and cross-instance single-flight counters go with the authoritative layer.
    List<LayerStatistics> result = new ArrayList<>(layers);
    LayerStatistics bottom = result.get(result.size() - 1);
    Map<String, Long> details = new java.util.TreeMap<>(bottom.details());
    details.putAll(coordination);
    result.set(result.size() - 1, new LayerStatistics(bottom.layer(), bottom.hits(), bottom.misses(), bottom.writes(),
        bottom.removals(), bottom.evictions(), details));
    return result;
  }

  @Override
  public void resetLayerStatistics() {
    stack.resetStatistics();
    distributed.reset();
    loadCounters.reset();
  }

  @Override
  public Subscription subscribe(CacheEventListener<K> listener) {
    requireOpen();
    return events.subscribe(listener);
  }

  // ---------------------------------------------------------------- JCache plumbing

  @Override
  public String getName() {
    return name;
  }

  @Override
  public Cache<K, V> asJCache() {
    return this;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
    LayerCacheConfiguration<K, V> current = new LayerCacheConfiguration<>(configuration);
    List<CacheEntryListenerConfiguration<K, V>> initial = new ArrayList<>();
    current.getCacheEntryListenerConfigurations().forEach(initial::add);
    initial.forEach(current::removeCacheEntryListenerConfiguration);
    for (CacheEntryListenerConfiguration<K, V> listener : dispatcher.configurations()) {
      current.addCacheEntryListenerConfiguration(listener);
    }
    current.setStatisticsEnabled(statisticsEnabled);
    current.setManagementEnabled(managementEnabled);
    current.freeze();
    if (type.isInstance(current)) {
      return type.cast(current);
    }
    throw new IllegalArgumentException("The configuration of a LayerCache cache is a "
        + LayerCacheConfiguration.class.getName() + ", not a " + type.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    dispatcher.register(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    dispatcher.deregister(listenerConfiguration);
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("A LayerCache cache unwraps to " + LayerCache.class.getName()
        + " or " + Cache.class.getName() + ", not to " + type.getName());
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      manager.release(name, this);
      setStatisticsEnabled(false);
      setManagementEnabled(false);
      closed = true;
      dispatcher.close();
      closeQuietly(cacheLoader);
      closeQuietly(cacheWriter);
      closeQuietly(expiry.policy());
      stack.close();
    }
  }

  /** Turns the statistics MXBean and counting on or off. */
  void setStatisticsEnabled(boolean enabled) {
    if (enabled) {
      JmxRegistration.register(manager.getURI().toString(), name, JmxRegistration.Kind.STATISTICS, statistics);
    } else {
      JmxRegistration.unregister(manager.getURI().toString(), name, JmxRegistration.Kind.STATISTICS);
    }
    statisticsEnabled = enabled;
  }

  /** Turns the configuration MXBean on or off. */
  void setManagementEnabled(boolean enabled) {
    if (enabled) {
      JmxRegistration.register(manager.getURI().toString(), name, JmxRegistration.Kind.CONFIGURATION, configurationBean);
    } else {
      JmxRegistration.unregister(manager.getURI().toString(), name, JmxRegistration.Kind.CONFIGURATION);
    }
    managementEnabled = enabled;
  }

  /** The statistics MXBean, for tests and integrations. */
  public JCacheStatistics statistics() {
    return statistics;
  }

  /** Called by the layers (through the stack) for entries they dropped by themselves. */
  void onLayerEviction(Layer<K, V> layer, K key, StoredEntry<V> entry, boolean expired) {
    stack.recordEviction(layer);
    if (!stack.isAuthoritative(layer) || closed || entry.isNotFound()) {
      return;
    }
    if (expired) {
      if (dispatcher.hasListeners()) {
        dispatcher.dispatch(List.of(EntryEvent.expired(this, key, entry.value())));
      }
      if (events.isActive()) {
        events.publish(new CacheEvent.Expired<>(name, key));
      }
    } else {
      if (statisticsEnabled) {
        statistics.recordEvictions(1);
      }
      if (events.isActive()) {
        events.publish(new CacheEvent.Evicted<>(name, key, layer.name()));
      }
    }
  }

  // ---------------------------------------------------------------- internals

  /** The live entry of {@code key}, expiring it first when it is past due. */
  private StoredEntry<V> liveEntry(K key) {
    StoredEntry<V> entry = stack.get(key);
    if (entry != null && entry.isNotFound()) {
      if (!isLive(entry)) {
        stack.remove(key, entry);
      }
      return null;
    }
    if (entry == null || isLive(entry)) {
      return entry;
    }
    StoredEntry<V> after = retainOrExpire(key, entry);
    return after != null && isLive(after) && !after.isNotFound() ? after : null;
  }

  /** How an entry stands for {@link #entryInfo}; null for an expired entry that nothing would serve. */
  private EntryInfo.Freshness freshnessOf(StoredEntry<V> entry) {
    boolean live = isLive(entry);
    if (entry.isNotFound()) {
      return live ? EntryInfo.Freshness.NOT_FOUND : null;
    }
    if (live) {
      return entry.kind() == StoredEntry.Kind.FAIL_SAFE ? EntryInfo.Freshness.FAIL_SAFE : EntryInfo.Freshness.FRESH;
    }
    if (refresh.withinRevalidationWindow(entry)) {
      return EntryInfo.Freshness.STALE_WHILE_REVALIDATE;
    }
    if (failSafe.servesStale(WriteClock.toMillis(entry.writtenAt()), now())) {
      return EntryInfo.Freshness.FAIL_SAFE;
    }
    return null;
  }

  /**
   * Stores a background refresh's value over the entry it refreshes, if that is still the same
   * write: refresh-ahead replaces a live entry (listeners see UPDATED), stale-while-revalidate an
   * expired one (CREATED); either way the value gets a new lifetime.
   */
  private void storeRefreshed(K key, V fresh, EntryOptions options, StoredEntry<V> stale, long fence) {
    if (closed) {
      return;
    }
    requireValueType(fresh);
    V stored = copier.copy(fresh);
    Changes<K, V> changes = new Changes<>();
    stack.compute(key, now(), (k, current) -> {
      changes.reset();
      if (!stale.isSameWriteAs(current)) {
        return current;
      }
      StoredEntry<V> live = isLive(current) ? current : null;
      StoredEntry<V> refreshed = putEntry(k, stored, live, options, now(), changes, true);
      return refreshed == null || fence == 0 ? refreshed : refreshed.withFence(fence);
    });
    finish(changes);
  }

  private boolean isLive(StoredEntry<V> entry) {
    return entry.isLive(time);
  }

  /**
   * An expired entry: kept as the stale fallback of the next load when fail-safe may still serve
   * it (returned, expired), otherwise removed and reported expired (null) — unless only an upper
   * layer's copy had expired, in which case the live authoritative entry is returned (a hit).
   */
  private StoredEntry<V> retainOrExpire(K key, StoredEntry<V> expired) {
    if (expired == null) {
      return null;
    }
    if (expired.isNotFound()) {
      stack.remove(key, expired);
      return null;
    }
    if (failSafe.servesStale(WriteClock.toMillis(expired.writtenAt()), now())) {
      return expired;
    }
    LayerStack.Expiry<V> expiry = stack.expire(key, expired, now());
    if (expiry.removed()) {
      publishExpired(key, expired);
    }
    // When only an upper layer's copy had expired, the authoritative entry is live: a hit.
    return expiry.live();
  }

  private void publishExpired(K key, StoredEntry<V> entry) {
    if (dispatcher.hasListeners()) {
      dispatcher.dispatch(List.of(EntryEvent.expired(this, key, entry.value())));
    }
    if (events.isActive()) {
      events.publish(new CacheEvent.Expired<>(name, key));
    }
  }

  /** Inside a compute: treats an expired entry as absent and records its expiry. */
  private StoredEntry<V> expireIfDue(K key, StoredEntry<V> current, long now, Changes<K, V> changes) {
    if (current != null && current.isNotFound()) {
      return null; // a remembered "not found" is absent to every JCache operation, silently
    }
    if (current == null || !current.isExpiredAt(now)) {
      return current;
    }
    changes.event(EntryEvent.expired(this, key, current.value()));
    return null;
  }

  /** Applies access expiry after a read outside a compute. */
  private void touch(K key, StoredEntry<V> entry) {
    if (expiry.accessIsNoop()) {
      return;
    }
    long now = now();
    long expireAt = expiry.onAccess(entry.expireAt(), now);
    if (expireAt != entry.expireAt()) {
      stack.compute(key, now, (k, current) -> entry.isSameWriteAs(current) ? current.withExpireAt(expireAt) : current);
    }
  }

  /** Applies access expiry inside a compute. */
  private StoredEntry<V> accessed(StoredEntry<V> live, long now) {
    long expireAt = expiry.onAccess(live.expireAt(), now);
    return expireAt == live.expireAt() ? live : live.withExpireAt(expireAt);
  }

  /**
   * Inside a compute: the entry that stores {@code value} over {@code live} (null when absent),
   * with the events and statistics it implies. Returns null when the entry would be expired at
   * once, which removes it.
   */
  private StoredEntry<V> putEntry(K key, V value, StoredEntry<V> live, EntryOptions options, long now,
      Changes<K, V> changes) {
    return putEntry(key, value, live, options, now, changes, false);
  }

  /**
   * {@link #putEntry}; a {@code reloaded} value (a background refresh of a live entry) gets a
   * creation lifetime, as a new load would, while listeners see an update of the live entry.
   */
  private StoredEntry<V> putEntry(K key, V value, StoredEntry<V> live, EntryOptions options, long now,
      Changes<K, V> changes, boolean reloaded) {
    long expireAt;
    if (options.ttl() != null) {
      expireAt = ExpiryRules.expireAt(new javax.cache.expiry.Duration(java.util.concurrent.TimeUnit.MILLISECONDS,
          options.ttl().toMillis()), now);
    } else {
      expireAt = live == null || reloaded ? expiry.onCreation(now) : expiry.onUpdate(live.expireAt(), now);
    }
    if (expireAt != StoredEntry.ETERNAL && expireAt <= now) {
      if (live != null) {
        changes.puts++;
        changes.event(EntryEvent.updated(this, key, value, live.value()));
        changes.event(EntryEvent.expired(this, key, value));
      }
      return null;
    }
    changes.puts++;
    changes.event(live == null ? EntryEvent.created(this, key, value) : EntryEvent.updated(this, key, value, live.value()));
    if (events.isActive()) {
      changes.typed(new CacheEvent.Written<>(name, key, options.tags()));
    }
    return new StoredEntry<>(value, expireAt, writeClock.next(), options.tags());
  }

  /** A put of {@code value}, calling the writer when asked. */
  private Changes<K, V> write(K key, V value, EntryOptions options, boolean callWriter) {
    Changes<K, V> changes = new Changes<>();
    V stored = copier.copy(value);
    stack.compute(copier.copy(key), now(), (k, current) -> {
      changes.reset();
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      if (callWriter) {
        writeThrough(key, value);
      }
      return putEntry(k, stored, live, options, now, changes);
    });
    return changes;
  }

  /**
   * Stores a loaded value over nothing, or over the stale entry it refreshes (also when that entry
   * was cached again by fail-safe), never over a newer write.
   */
  private Changes<K, V> storeLoaded(K key, V value, EntryOptions options, StoredEntry<V> stale, long fence) {
    Changes<K, V> changes = new Changes<>();
    V stored = copier.copy(value);
    stack.compute(copier.copy(key), now(), (k, current) -> {
      changes.reset();
      long now = now();
      boolean refreshes = current != null && stale != null && stale.isSameWriteAs(current);
      StoredEntry<V> live = refreshes ? null : expireIfDue(k, current, now, changes);
      if (live != null) {
        return live;
      }
      // A refreshed stale entry was logically absent: the new value is a creation.
      StoredEntry<V> created = putEntry(k, stored, null, options, now, changes);
      return created == null || fence == 0 ? created : created.withFence(fence);
    });
    return changes;
  }

  /** Stores a loaded value (no writer): kept only where no live entry appeared meanwhile, unless replacing. */
  private Changes<K, V> storeLoaded(K key, V value, EntryOptions options, boolean replaceExisting) {
    Changes<K, V> changes = new Changes<>();
    V stored = copier.copy(value);
    stack.compute(copier.copy(key), now(), (k, current) -> {
      changes.reset();
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, changes);
      if (live != null && !replaceExisting) {
        return live;
      }
      return putEntry(k, stored, live, options, now, changes);
    });
    return changes;
  }

  private Changes<K, V> removeEntry(K key, boolean callWriter) {
    Changes<K, V> changes = new Changes<>();
    stack.compute(key, now(), (k, current) -> {
      changes.reset();
      StoredEntry<V> live = expireIfDue(k, current, now(), changes);
      if (callWriter) {
        deleteThrough(key);
      }
      if (live != null) {
        changes.removals++;
        changes.event(EntryEvent.removed(this, k, live.value()));
        if (events.isActive()) {
          changes.typed(new CacheEvent.Removed<>(name, k));
        }
      }
      return null;
    });
    return changes;
  }

  private void removeKeys(Set<K> keys) {
    long start = statisticsEnabled ? System.nanoTime() : 0L;
    Set<K> toRemove = keys;
    CacheWriterException failure = null;
    if (configuration.isWriteThrough() && cacheWriter != null && !keys.isEmpty()) {
      Set<K> pending = new LinkedHashSet<>(keys);
      try {
        cacheWriter.deleteAll(pending);
      } catch (RuntimeException e) {
        failure = e instanceof CacheWriterException cwe ? cwe : new CacheWriterException("Cache writer failed in deleteAll", e);
      }
      toRemove = new LinkedHashSet<>(keys);
      toRemove.removeAll(pending);
    }
    Changes<K, V> changes = new Changes<>();
    for (K key : toRemove) {
      merge(changes, removeEntry(key, false));
    }
    finish(changes);
    if (statisticsEnabled && changes.removals > 0) {
      statistics.recordRemoveTime(start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private StoredEntry<V> applyProcessorEffect(K key, ProcessorEntry<K, V> entry, StoredEntry<V> live, long now,
      Changes<K, V> changes) {
    if (live != null) {
      changes.hits++;
    } else {
      changes.misses++;
    }
    switch (entry.action()) {
      case NONE:
        return live;
      case ACCESSED:
        return accessed(live, now);
      case LOADED:
        return putEntry(key, copier.copy(entry.getValue()), null, defaultOptions, now, changes);
      case CREATED:
      case UPDATED: {
        V value = entry.getValue();
        writeThrough(key, value);
        return putEntry(key, copier.copy(value), live, defaultOptions, now, changes);
      }
      case REMOVED:
        deleteThrough(key);
        if (live != null) {
          changes.removals++;
          changes.event(EntryEvent.removed(this, key, live.value()));
        }
        return null;
      default:
        throw new IllegalStateException("Unknown entry action " + entry.action());
    }
  }

  /**
   * Stores a loaded value over nothing or the stale entry it refreshes, fenced with the lease
   * token it was loaded under; a value refused by the fence (another instance took the load
   * over) is dropped.
   */
  private void storeLoadedValue(K key, V value, EntryOptions options, StoredEntry<V> stale, long fence) {
    if (closed) {
      return;
    }
    try {
      finish(storeLoaded(key, value, options, stale, fence));
    } catch (FencedWriteException e) {
      LOG.info("cache={} key={} {}", name, key, e.getMessage());
    }
  }

  private V loadFromCacheLoader(K key) {
    try {
      return cacheLoader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Cache loader of cache '" + name + "' failed for key " + key, e);
    }
  }

  private Map<K, V> loadAllFromCacheLoader(List<K> keys) {
    try {
      Map<K, V> loaded = cacheLoader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Cache loader of cache '" + name + "' failed in loadAll", e);
    }
  }

  private void writeThrough(K key, V value) {
    if (configuration.isWriteThrough() && cacheWriter != null) {
      try {
        cacheWriter.write(new EntryProxy<>(key, value));
      } catch (CacheWriterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheWriterException("Cache writer of cache '" + name + "' failed for key " + key, e);
      }
    }
  }

  private void deleteThrough(K key) {
    if (configuration.isWriteThrough() && cacheWriter != null) {
      try {
        cacheWriter.delete(key);
      } catch (CacheWriterException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheWriterException("Cache writer of cache '" + name + "' failed to delete key " + key, e);
      }
    }
  }

  private void finish(Changes<K, V> changes) {
    if (statisticsEnabled) {
      if (changes.hits > 0) {
        statistics.recordHits(changes.hits);
      }
      if (changes.misses > 0) {
        statistics.recordMisses(changes.misses);
      }
      if (changes.puts > 0) {
        statistics.recordPuts(changes.puts);
      }
      if (changes.removals > 0) {
        statistics.recordRemovals(changes.removals);
      }
    }
    if (changes.events() != null && dispatcher.hasListeners()) {
      dispatcher.dispatch(changes.events());
    }
    if (changes.typedEvents() != null) {
      changes.typedEvents().forEach(events::publish);
    }
  }

  private static <K, V> void merge(Changes<K, V> into, Changes<K, V> from) {
    into.hits += from.hits;
    into.misses += from.misses;
    into.puts += from.puts;
    into.removals += from.removals;
    if (from.events() != null) {
      from.events().forEach(into::event);
    }
    if (from.typedEvents() != null) {
      from.typedEvents().forEach(into::typed);
    }
  }

  private long now() {
    return time.currentTimeMillis();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed");
    }
  }

  private void requireKey(K key) {
    Objects.requireNonNull(key, "key");
    if (typeChecked && !keyType.isInstance(key)) {
      throw new ClassCastException("Cache '" + name + "' takes keys of type " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
  }

  private void requireValueType(V value) {
    if (typeChecked && !valueType.isInstance(value)) {
      throw new ClassCastException("Cache '" + name + "' takes values of type " + valueType.getName()
          + ", not " + value.getClass().getName());
    }
  }

  private void requireEntry(K key, V value) {
    requireKey(key);
    Objects.requireNonNull(value, "value");
    requireValueType(value);
  }

  private void requireKeys(Set<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    for (K key : keys) {
      requireKey(key);
    }
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Failed to close {}", resource, e);
      }
    }
  }

  /** Iterates the live entries; {@link #remove()} removes through the cache (writer, events). */
  private final class EntryIterator implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<K> keys;
    private Cache.Entry<K, V> next;
    private Cache.Entry<K, V> last;

    EntryIterator(Iterator<K> keys) {
      this.keys = keys;
    }

    @Override
    public boolean hasNext() {
      requireOpen();
      while (next == null && keys.hasNext()) {
        K key = keys.next();
        StoredEntry<V> entry = liveEntry(key);
        if (entry != null) {
          touch(key, entry);
          if (statisticsEnabled) {
            statistics.recordHits(1);
          }
          next = new EntryProxy<>(copier.copy(key), copier.copy(entry.value()));
        }
      }
      return next != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      last = next;
      next = null;
      return last;
    }

    @Override
    public void remove() {
      requireOpen();
      if (last == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called for this entry");
      }
      CacheProxy.this.remove(last.getKey());
      last = null;
    }
  }
}
