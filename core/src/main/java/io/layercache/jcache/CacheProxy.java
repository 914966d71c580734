package io.layercache.jcache;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.KeyPattern;
import io.layercache.layer.StoredEntry;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusHub;
import io.layercache.bus.BusLinks;
import io.layercache.bus.BusStatistics;
import io.layercache.LayerStatistics;
import io.layercache.LoadStatistics;
import io.layercache.Loader;
import io.layercache.codec.Copier;
import io.layercache.coordinator.CacheCore;
import io.layercache.coordinator.Change;
import io.layercache.coordinator.Mutation;
import io.layercache.coordinator.Mutation.Decision;
import io.layercache.coordinator.TypeCheck;
import io.layercache.coordinator.WriteThroughOnce;
import io.layercache.event.CacheEventListener;
import io.layercache.event.Subscription;
import io.layercache.jcache.event.EventDispatcher;
import io.layercache.jcache.management.JCacheConfigurationBean;
import io.layercache.jcache.management.JCacheStatistics;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LayerCache cache: the JCache {@link Cache} facade and the {@link LayerCache} extensions, a
 * thin adapter over one {@link CacheCore}.
 *
 * <ul>
 *   <li>What is JCache's own stays here: argument and closed checks (closed first, as JCache
 *       requires), the cache writer, the statistics MXBean's timings and JCache's hit/miss rules
 *       for conditional operations, listener registration, configuration and unwrapping.
 *   <li>Everything about entries is the core's: a write here is a {@link Mutation} the core
 *       applies; listeners and statistics hear of changes from the core's change feed.
 *   <li>The writer runs inside the key's atomic section, before the change commits, so a failing
 *       writer leaves the cache unchanged; it runs once per operation even when a remote layer
 *       retries the section.
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
  private final CacheCore<K, V> core;
  private final TypeCheck<K, V> types;
  private final Copier copier;
  private final ReadThrough<K, V> readThroughLoaders;
  private final WriteThrough<K, V> writeThrough;
  private final EventDispatcher<K, V> dispatcher;
  private final JCacheStatistics statistics;
  private final CacheManagement management;
  private final Executor executor;
  private final EntryOptions defaultOptions;
  private final boolean readThrough;
  private final Loader<K, V> readThroughLoader;
  private final OperationTimer timer;
  private final EntryProcessing<K, V> processors;
  private final Closeable expiryPolicy;
  private volatile boolean closed;

  CacheProxy(ProxyParts<K, V> parts) {
    this.name = parts.name();
    this.manager = parts.manager();
    this.configuration = parts.configuration();
    this.core = parts.core();
    this.types = parts.types();
    this.copier = parts.copier();
    this.readThroughLoaders = new ReadThrough<>(name, parts.cacheLoader());
    this.writeThrough = parts.writeThrough();
    this.dispatcher = parts.dispatcher();
    this.statistics = parts.statistics();
    this.executor = parts.executor();
    this.expiryPolicy = parts.expiryPolicy() instanceof Closeable c ? c : null;
    this.defaultOptions = configuration.getDefaultEntryOptions();
    this.readThrough = configuration.isReadThrough() && readThroughLoaders.hasLoader();
    this.readThroughLoader = readThrough ? readThroughLoaders.single() : null;
    this.timer = new OperationTimer(statistics);
    this.processors = new EntryProcessing<>(core, copier, writeThrough, timer, readThrough ? readThroughLoaders : null,
        defaultOptions);
    this.management = new CacheManagement(manager.getURI().toString(), name, statistics, core,
        new JCacheConfigurationBean(() -> getConfiguration(CompleteConfiguration.class)));
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireOpen();
    types.requireKey(key);
    long start = timer.start();
    V value = core.read(key, readThroughLoader, defaultOptions);
    timer.stopGet(start);
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    long start = timer.start();
    Map<K, V> result = core.readAll(keys, readThrough ? readThroughLoaders.batch() : null, defaultOptions);
    timer.stopGet(start);
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    types.requireKey(key);
    return core.liveEntry(key) != null;
  }

  @Override
  public V get(K key, Loader<? super K, ? extends V> loader) {
    return get(key, loader, defaultOptions);
  }

  @Override
  public V get(K key, Loader<? super K, ? extends V> loader, EntryOptions options) {
    requireOpen();
    types.requireKey(key);
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(options, "options");
    long start = timer.start();
    V value = core.read(key, loader, options);
    timer.stopGet(start);
    return value;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    types.requireEntry(key, value);
    long start = timer.start();
    if (store(key, value, defaultOptions).stored()) {
      timer.stopPut(start);
    }
  }

  @Override
  public void set(K key, V value, EntryOptions options) {
    requireOpen();
    types.requireEntry(key, value);
    Objects.requireNonNull(options, "options");
    store(key, value, options);
  }

  private Mutation.Outcome<V> store(K key, V value, EntryOptions options) {
    WriteThroughOnce once = writeThrough.newOperation();
    return core.put(copier.copy(key), copier.copy(value), options, () -> writeThrough.write(once, key, value),
        writeThrough.isActive());
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    types.requireEntry(key, value);
    long start = timer.start();
    V stored = copier.copy(value);
    WriteThroughOnce once = writeThrough.newOperation();
    Mutation.Outcome<V> outcome = core.mutate(copier.copy(key), live -> {
      writeThrough.write(once, key, value);
      return Decision.put(stored);
    }, defaultOptions, Change.Origin.WRITE);
    timer.countRead(outcome.previous() != null);
    timer.stopPut(start);
    timer.stopGet(start);
    return copier.copy(outcome.previous());
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    Objects.requireNonNull(map, "map");
    map.forEach(types::requireEntry);
    long start = timer.start();
    Map<K, V> entries = new LinkedHashMap<>(map);
    WriteThrough.Batch<K> written = writeThrough.writeAll(entries);
    core.mutateAll(copies(written.done()), k -> {
      V stored = copier.copy(entries.get(k));
      return live -> Decision.put(stored);
    }, defaultOptions, Change.Origin.WRITE);
    if (!written.done().isEmpty()) {
      timer.stopPut(start);
    }
    if (written.failure() != null) {
      throw written.failure();
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    types.requireEntry(key, value);
    long start = timer.start();
    V stored = copier.copy(value);
    WriteThroughOnce once = writeThrough.newOperation();
    Mutation.Outcome<V> outcome = core.mutate(copier.copy(key), live -> {
      if (live != null) {
        return Decision.keep();
      }
      writeThrough.write(once, key, value);
      return Decision.put(stored);
    }, defaultOptions, Change.Origin.WRITE);
    timer.countRead(outcome.previous() != null);
    boolean added = outcome.action() == Mutation.Action.PUT;
    if (added) {
      timer.stopPut(start);
    }
    return added;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    types.requireKey(key);
    Objects.requireNonNull(oldValue, "oldValue");
    Objects.requireNonNull(newValue, "newValue");
    types.requireValue(oldValue);
    types.requireValue(newValue);
    return replaceEntry(key, oldValue, newValue) != null;
  }

  @Override
  public boolean replace(K key, V value) {
    requireOpen();
    types.requireEntry(key, value);
    return replaceEntry(key, null, value) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireOpen();
    types.requireEntry(key, value);
    return copier.copy(replaceEntry(key, null, value));
  }

  /**
   * Replaces the live value of {@code key} with {@code newValue}, only if it equals
   * {@code expected} when that is given (a mismatch counts as an access).
   *
   * @return the replaced value, or null when nothing was replaced
   */
  private V replaceEntry(K key, V expected, V newValue) {
    long start = timer.start();
    V stored = copier.copy(newValue);
    WriteThroughOnce once = writeThrough.newOperation();
    Mutation.Outcome<V> outcome = core.mutate(copier.copy(key), live -> {
      if (live == null) {
        return Decision.keep();
      }
      if (expected != null && !live.equals(expected)) {
        return Decision.access();
      }
      writeThrough.write(once, key, newValue);
      return Decision.put(stored);
    }, defaultOptions, Change.Origin.WRITE);
    timer.countRead(outcome.previous() != null);
    timer.stopGet(start);
    boolean replaced = outcome.action() == Mutation.Action.PUT;
    if (replaced) {
      timer.stopPut(start);
    }
    return replaced ? outcome.previous() : null;
  }

  // ---------------------------------------------------------------- removals

  @Override
  public boolean remove(K key) {
    requireOpen();
    types.requireKey(key);
    long start = timer.start();
    Mutation.Outcome<V> outcome = removeThrough(key);
    if (outcome.stored()) {
      timer.stopRemove(start);
    }
    return outcome.stored();
  }

  /** Removes {@code key}, calling the writer's delete whether or not it was present (JCache). */
  private Mutation.Outcome<V> removeThrough(K key) {
    WriteThroughOnce once = writeThrough.newOperation();
    return core.mutate(copier.copy(key), live -> {
      writeThrough.delete(once, key);
      return Decision.remove();
    }, defaultOptions, Change.Origin.WRITE);
  }

  @Override
  public boolean invalidate(K key) {
    requireOpen();
    types.requireKey(key);
    return core.mutate(copier.copy(key), live -> Decision.remove(), defaultOptions, Change.Origin.INVALIDATE)
        .stored();
  }

  @Override
  public long deleteByPattern(String glob) {
    requireOpen();
    return core.deleteByPattern(KeyPattern.of(glob));
  }

  @Override
  public boolean has(K key) {
    requireOpen();
    types.requireKey(key);
    StoredEntry<V> entry = core.liveEntry(key);
    return entry != null && !entry.isNotFound();
  }

  @Override
  public long estimatedSize() {
    requireOpen();
    return core.estimatedSize();
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    types.requireKey(key);
    Objects.requireNonNull(oldValue, "oldValue");
    types.requireValue(oldValue);
    long start = timer.start();
    WriteThroughOnce once = writeThrough.newOperation();
    Mutation.Outcome<V> outcome = core.mutate(copier.copy(key), live -> {
      if (live == null) {
        return Decision.keep();
      }
      if (!live.equals(oldValue)) {
        return Decision.access();
      }
      writeThrough.delete(once, key);
      return Decision.remove();
    }, defaultOptions, Change.Origin.WRITE);
    timer.countRead(outcome.previous() != null);
    timer.stopGet(start);
    if (outcome.stored()) {
      timer.stopRemove(start);
    }
    return outcome.stored();
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    types.requireKey(key);
    long start = timer.start();
    Mutation.Outcome<V> outcome = removeThrough(key);
    timer.countRead(outcome.previous() != null);
    timer.stopGet(start);
    if (outcome.stored()) {
      timer.stopRemove(start);
    }
    return copier.copy(outcome.previous());
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
    for (Iterator<K> it = core.keys(); it.hasNext(); ) {
      keys.add(it.next());
    }
    removeKeys(keys);
  }

  private void removeKeys(Set<K> keys) {
    long start = timer.start();
    WriteThrough.Batch<K> deleted = writeThrough.deleteAll(keys);
    core.mutateAll(copies(deleted.done()), k -> live -> Decision.remove(), defaultOptions, Change.Origin.WRITE);
    if (!deleted.done().isEmpty()) {
      timer.stopRemove(start);
    }
    if (deleted.failure() != null) {
      throw deleted.failure();
    }
  }

  @Override
  public void clear() {
    requireOpen();
    core.clear();
  }

  // ---------------------------------------------------------------- entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    types.requireKey(key);
    Objects.requireNonNull(processor, "entryProcessor");
    return processors.invoke(key, processor, arguments);
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
    if (!readThroughLoaders.hasLoader()) {
      if (listener != null) {
        listener.onCompletion();
      }
      return;
    }
    List<K> requested = new ArrayList<>(keys);
    executor.execute(() -> {
      try {
        core.loadAll(requested, readThroughLoaders.batch(), defaultOptions, replaceExistingValues);
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
    return new EntryIterator<>(this, core, copier, statistics);
  }

  // ---------------------------------------------------------------- tags, info, statistics, events

  @Override
  public void invalidateByTag(String tag) {
    requireOpen();
    Objects.requireNonNull(tag, "tag");
    core.invalidateByTag(tag);
  }

  @Override
  public void invalidateByTags(Collection<String> tags) {
    requireOpen();
    Objects.requireNonNull(tags, "tags");
    tags.forEach(this::invalidateByTag);
  }

  @Override
  public Optional<EntryInfo<V>> entryInfo(K key) {
    requireOpen();
    types.requireKey(key);
    return core.entryInfo(key);
  }

  @Override
  public List<LayerStatistics> layerStatistics() {
    return core.layerStatistics();
  }

  @Override
  public LoadStatistics loadStatistics() {
    return core.loadStatistics();
  }

  @Override
  public Optional<BusStatistics> busStatistics() {
    BusHub hub = configuration.getBus() == null ? null : BusLinks.hubOf(configuration.getBus(), manager.sharedResources());
    return hub == null ? Optional.empty() : Optional.of(hub.statistics());
  }

  @Override
  public void resetLayerStatistics() {
    core.resetLayerStatistics();
  }

  @Override
  public Subscription subscribe(CacheEventListener<K> listener) {
    requireOpen();
    return core.events().subscribe(listener);
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
    dispatcher.configurations().forEach(current::addCacheEntryListenerConfiguration);
    current.setStatisticsEnabled(statistics.isEnabled());
    current.setManagementEnabled(management.isManagementEnabled());
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
      closeQuietly(readThroughLoaders.close());
      closeQuietly(writeThrough.writer());
      closeQuietly(expiryPolicy);
      core.close();
    }
  }

  /** {@link CacheManagement#setStatisticsEnabled}. */
  void setStatisticsEnabled(boolean enabled) {
    management.setStatisticsEnabled(enabled);
  }

  /** {@link CacheManagement#keepLayerCounters}: for a metrics binder. */
  public void keepLayerCounters() {
    management.keepLayerCounters();
  }

  /** {@link CacheManagement#setManagementEnabled}. */
  void setManagementEnabled(boolean enabled) {
    management.setManagementEnabled(enabled);
  }

  /** The cache core behind this adapter, for integrations (an invalidation bus) and tests. */
  public CacheCore<K, V> core() {
    return core;
  }

  /** The statistics MXBean, for tests and integrations. */
  public JCacheStatistics statistics() {
    return statistics;
  }

  // ---------------------------------------------------------------- internals

  /** The keys as the cache stores them: copies when it stores by value. */
  private List<K> copies(Set<K> keys) {
    List<K> copies = new ArrayList<>(keys.size());
    keys.forEach(k -> copies.add(copier.copy(k)));
    return copies;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed");
    }
  }

  private void requireKeys(Set<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    keys.forEach(types::requireKey);
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
}
