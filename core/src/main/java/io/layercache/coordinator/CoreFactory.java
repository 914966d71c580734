package io.layercache.coordinator;

import io.layercache.DegradationMode;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCacheConfiguration;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.event.EventHub;
import io.layercache.layer.EvictionSink;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFactories;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.SharedResources;
import io.layercache.metrics.CacheMetrics;
import io.layercache.metrics.LayerEvent;
import io.layercache.metrics.MetricsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one {@link CacheCore} from a frozen configuration, in readable steps: the feed and
 * counters first, then each layer (found through its {@link io.layercache.layer.LayerFactory},
 * guarded when it can fail), the stack with its stale-read and soft-timeout policies, the
 * cross-instance single-flight, and the core. Every part is complete when it is constructed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CoreFactory<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(CoreFactory.class);

  private final String name;
  private final LayerCacheConfiguration<K, V> configuration;
  private final ClassLoader classLoader;
  private final SharedResources shared;
  private final TimeSource time;
  private final ExpiryRules expiry;
  private final EventHub<K> events = new EventHub<>();
  private final ChangeFeed<K, V> feed = new ChangeFeed<>();
  private final Set<Object> refreshing = ConcurrentHashMap.newKeySet();
  /** Built with the stack: its barriers live in the stack's shared layer when one keeps tag timestamps. */
  private TagBarriers tagBarriers;

  private CoreFactory(String name, LayerCacheConfiguration<K, V> configuration, ClassLoader classLoader,
      SharedResources shared, ExpiryPolicy expiryPolicy) {
    this.name = name;
    this.configuration = configuration;
    this.classLoader = classLoader;
    this.shared = shared;
    this.time = configuration.getTimeSource();
    this.expiry = new ExpiryRules(expiryPolicy);
  }

  /**
   * The core of cache {@code name}.
   *
   * @param expiryPolicy the policy created from the configuration's factory (the caller closes it)
   * @param copier       copies values in and out when the cache stores by value
   * @param statistics   the JCache statistics recorder; the core adds its always-on counters
   * @param executor     runs background work (refreshes)
   */
  public static <K, V> CacheCore<K, V> build(String name, LayerCacheConfiguration<K, V> configuration,
      ClassLoader classLoader, SharedResources shared, ExpiryPolicy expiryPolicy, Copier copier,
      MetricsRecorder statistics, Executor executor) {
    return new CoreFactory<>(name, configuration, classLoader, shared, expiryPolicy).core(copier, statistics, executor);
  }

  private CacheCore<K, V> core(Copier copier, MetricsRecorder statistics, Executor executor) {
    // Two sinks of the one recorder interface: operation-level counts (JCache's hits, misses,
    // puts, ...) go to the recorders that want them pushed; layer and load events go straight to
    // the always-on counters, which other recorders read (as Micrometer's function counters do).
    // Each hot-path call is then one monomorphic call.
    CacheMetrics cacheMetrics = new CacheMetrics(configuration.getLayers().size());
    MetricsRecorder metrics = statistics;
    feed.subscribe(new ChangeCounter<>(metrics));
    LayerStack<K, V> stack = stack(cacheMetrics);
    DistributedSingleFlight<K> distributed = new DistributedSingleFlight<>(name, sharedLeases(stack),
        configuration.getSingleFlight(), configuration.getResilience().mode() == DegradationMode.GRACEFUL,
        cacheMetrics);
    return new CacheCore<>(new CoreParts<>(name, stack, time, new WriteClock(time), tagBarriers, copier, expiry,
        configuration.getDefaultEntryOptions(), configuration.getFailSafe(), configuration.getRefresh(),
        configuration.getNegativeCaching(), distributed, events, feed, metrics, cacheMetrics, executor,
        shared.computeIfAbsent(BoundedPool.LOADS, BoundedPool::forLoads),
        new TypeCheck<>(name, configuration.getKeyType(), configuration.getValueType()), refreshing));
  }

  private LayerStack<K, V> stack(MetricsRecorder metrics) {
    List<LayerSpec> specs = configuration.getLayers();
    List<LayerAccessor<K, V>> layers = new ArrayList<>(specs.size());
    long[] layerTtls = new long[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      layers.add(layer(specs.get(i), i, i == specs.size() - 1, metrics));
      layerTtls[i] = specs.get(i).ttl() == null ? 0 : specs.get(i).ttl().toMillis();
    }
    tagBarriers = new TagBarriers(sharedTagTimestamps(layers), configuration.getTags(), time,
        configuration.getResilience().mode() == DegradationMode.GRACEFUL);
    return new LayerStack<>(name, layers, layerTtls, metrics, tagBarriers, events, time,
        configuration.getResilience().mode(), staleReads(), staleFallback(), remoteSoftTimeout());
  }

  /** One layer from its spec, behind its accessor (a breaker when the layer can fail). */
  private LayerAccessor<K, V> layer(LayerSpec spec, int index, boolean authoritative, MetricsRecorder metrics) {
    // A cache's one layer without access expiry orders no writes by their stamps: it may keep
    // eternal, untagged values bare (no wrapper per entry, one memory access less per hit).
    boolean bareEternalValues = configuration.getLayers().size() == 1 && expiry.accessIsNoop();
    LayerContext<K, V> context = new LayerContext<>(name, classLoader, time, evictionSink(index, authoritative, metrics),
        expiring(), shared, configuration.getValueType(),
        retainExpiredMillis(), tagRetentionMillis(), bareEternalValues);
    Layer<K, V> layer = LayerFactories.find(spec.type(), classLoader).create(spec, context);
    return new LayerAccessor<>(name, layer, index, configuration.getResilience(), metrics, events);
  }

  /**
   * Where a layer reports entries it dropped by itself: counted for the layer; a drop by the
   * authoritative layer is the cache's, an expiry or eviction on the change feed.
   */
  private EvictionSink<K, V> evictionSink(int index, boolean authoritative, MetricsRecorder metrics) {
    return (layer, key, entry, expired) -> {
      metrics.recordLayer(index, LayerEvent.EVICTION);
      if (authoritative && !entry.isNotFound()) {
        feed.publish(expired ? Change.expired(key, entry.value()) : Change.evicted(key, entry.value(), layer.name()));
      }
    };
  }

  /** Whether entries may carry an expiry at all, so an eternal cache's layers skip expiry bookkeeping. */
  private boolean expiring() {
    return !expiry.isEternal() || configuration.getDefaultEntryOptions().ttl() != null
        || configuration.getNegativeCaching().enabled();
  }

  /** Stale-while-revalidate reads of upper layers, when the cache has a window. */
  private StackPolicies.StaleReads<K> staleReads() {
    long window = configuration.getRefresh().windowMillis();
    if (window <= 0) {
      return null;
    }
    return new StackPolicies.StaleReads<>() {
      @Override
      public boolean keep(io.layercache.layer.StoredEntry<?> expired, long nowMillis) {
        return nowMillis < expired.expireAt() + window;
      }

      @Override
      public boolean serveLocally(Object key) {
        return refreshing.contains(key);
      }
    };
  }

  /** Fail-safe's rule for which expired copies may still be served, or null without fail-safe. */
  private StackPolicies.StaleFallback staleFallback() {
    FailSafeSettings failSafe = configuration.getFailSafe();
    return failSafe.enabled()
        ? (expired, nowMillis) -> failSafe.servesStale(WriteClock.toMillis(expired.writtenAt()), nowMillis)
        : null;
  }

  /** The remote soft timeout, when configured and useful (fail-safe on). */
  private StackPolicies.RemoteSoftTimeout remoteSoftTimeout() {
    Duration timeout = configuration.getResilience().remoteSoftTimeout();
    if (timeout == null) {
      return null;
    }
    if (!configuration.getFailSafe().enabled()) {
      LOG.warn("cache={} resilience.remote-soft-timeout has no effect without fail-safe.enabled: there is no stale "
          + "value to go on with", name);
      return null;
    }
    return new StackPolicies.RemoteSoftTimeout(timeout,
        shared.computeIfAbsent(BoundedPool.REMOTE_READS, BoundedPool::forRemoteReads));
  }


  /** How long past its expiry a layer keeps an entry for fail-safe or stale-while-revalidate. */
  private long retainExpiredMillis() {
    return Math.max(configuration.getFailSafe().retainExpiredMillis(), configuration.getRefresh().windowMillis());
  }

  /**
   * How long a shared tag stamp must outlive its last raise (see {@link LayerContext#tagRetentionMillis()}),
   * 0 for ever. An entry written before the raise is capped by each layer's ttl when it is written,
   * and again when a reader that had not yet seen the barrier (for up to the refresh interval)
   * touches it or caches it again; then it may be served for the retention past its expiry. Only
   * when every layer caps entries is that bounded: an expiry policy or a per-entry ttl can be any
   * length.
   */
  private long tagRetentionMillis() {
    long longestTtl = 0;
    for (LayerSpec spec : configuration.getLayers()) {
      if (spec.ttl() == null) {
        return 0;
      }
      longestTtl = Math.max(longestTtl, spec.ttl().toMillis());
    }
    return longestTtl + configuration.getTags().refreshMillis() + retainExpiredMillis();
  }

  /** The bottom-most shared layer that keeps tag timestamps, or null: tag barriers are then local. */
  private static <K, V> LayerAccessor<K, V> sharedTagTimestamps(List<LayerAccessor<K, V>> layers) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      if (!layers.get(i).inProcess() && layers.get(i).tagTimestamps() != null) {
        return layers.get(i);
      }
    }
    return null;
  }

  /** The load leases of the bottom-most shared layer that offers them, or null. */
  private static <K, V> LoadLeases<K> sharedLeases(LayerStack<K, V> stack) {
    List<LayerAccessor<K, V>> layers = stack.layers();
    for (int i = layers.size() - 1; i >= 0; i--) {
      LoadLeases<K> leases = layers.get(i).inProcess() ? null : layers.get(i).loadLeases();
      if (leases != null) {
        return leases;
      }
    }
    return null;
  }
}
