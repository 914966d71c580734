package io.layercache.jcache;

import io.layercache.LayerCacheConfiguration;
import io.layercache.codec.Copier;
import io.layercache.codec.KryoCopier;
import io.layercache.coordinator.GuardedLayer;
import io.layercache.coordinator.LayerStack;
import io.layercache.event.CacheEvent;
import io.layercache.coordinator.TagBarriers;
import io.layercache.coordinator.RemoteReadPool;
import io.layercache.coordinator.WriteClock;
import io.layercache.TimeSource;
import io.layercache.event.EventHub;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFactories;
import io.layercache.layer.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * Builds a {@link CacheProxy} from a frozen configuration: resolves each layer through its
 * {@link io.layercache.layer.LayerFactory}, creates the loader, writer and expiry policy from
 * their factories, and picks the copier.
 */
final class CacheFactory {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CacheFactory.class);

  private CacheFactory() {}

  static <K, V> CacheProxy<K, V> create(LayerCacheManager manager, String name,
      LayerCacheConfiguration<K, V> configuration, Executor executor) {
    ClassLoader classLoader = manager.getClassLoader();
    TimeSource time = configuration.getTimeSource();
    ExpiryPolicy expiryPolicy = configuration.getExpiryPolicyFactory().create();
    boolean expiring = !(expiryPolicy instanceof EternalExpiryPolicy)
        || configuration.getDefaultEntryOptions().ttl() != null
        || configuration.getNegativeCaching().enabled();

    AtomicReference<CacheProxy<K, V>> owner = new AtomicReference<>();
    LayerContext<K, V> context = new LayerContext<>(name, classLoader, time, (layer, key, entry, expired) -> {
      CacheProxy<K, V> proxy = owner.get();
      if (proxy != null) {
        proxy.onLayerEviction(layer, key, entry, expired);
      }
    }, expiring, manager.sharedResources(), configuration.getValueType(),
        Math.max(configuration.getFailSafe().retainExpiredMillis(), configuration.getRefresh().windowMillis()));

    EventHub<K> events = new EventHub<>();
    List<Layer<K, V>> layers = new ArrayList<>();
    List<LayerSpec> specs = configuration.getLayers();
    long[] layerTtls = new long[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      LayerSpec spec = specs.get(i);
      Layer<K, V> layer = LayerFactories.find(spec.type(), classLoader).create(spec, context);
      if (!layer.isLocal()) {
        layer = new GuardedLayer<>(name, layer, configuration.getResilience(), (layerName, from, to) -> {
          if (events.isActive()) {
            events.publish(new CacheEvent.BreakerTransition<>(name, layerName, from, to));
          }
        });
      }
      layers.add(layer);
      layerTtls[i] = spec.ttl() == null ? 0 : spec.ttl().toMillis();
    }

    TagBarriers tagBarriers = new TagBarriers();
    LayerStack<K, V> stack = new LayerStack<>(name, layers, layerTtls, tagBarriers, events, time,
        configuration.getResilience().mode());
    java.time.Duration remoteSoftTimeout = configuration.getResilience().remoteSoftTimeout();
    io.layercache.FailSafeSettings failSafe = configuration.getFailSafe();
    if (remoteSoftTimeout != null && !failSafe.enabled()) {
      LOG.warn("cache={} resilience.remote-soft-timeout has no effect without fail-safe.enabled: there is no stale "
          + "value to go on with", name);
    } else if (remoteSoftTimeout != null) {
      stack.useRemoteSoftTimeout(remoteSoftTimeout,
          (expired, nowMillis) -> failSafe.servesStale(WriteClock.toMillis(expired.writtenAt()), nowMillis),
          manager.sharedResources().computeIfAbsent(RemoteReadPool.RESOURCE_KEY, RemoteReadPool::new));
    }
    Copier copier = configuration.isStoreByValue() ? new KryoCopier(classLoader) : Copier.IDENTITY;
    @SuppressWarnings("unchecked")
    CacheLoader<K, V> loader = configuration.getCacheLoaderFactory() == null
        ? null : (CacheLoader<K, V>) configuration.getCacheLoaderFactory().create();
    @SuppressWarnings("unchecked")
    CacheWriter<K, V> writer = configuration.getCacheWriterFactory() == null
        ? null : (CacheWriter<K, V>) (CacheWriter<?, ?>) configuration.getCacheWriterFactory().create();

    CacheProxy<K, V> proxy = new CacheProxy<>(new CacheParts<>(name, manager, configuration, time, tagBarriers,
        events, stack, copier, expiryPolicy, loader, writer, executor));
    owner.set(proxy);
    return proxy;
  }
}
