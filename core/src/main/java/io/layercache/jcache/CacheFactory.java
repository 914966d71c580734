package io.layercache.jcache;

import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusLinks;
import io.layercache.codec.Copier;
import io.layercache.coordinator.CacheCore;
import io.layercache.coordinator.CoreFactory;
import io.layercache.coordinator.TypeCheck;
import io.layercache.jcache.event.EventDispatcher;
import io.layercache.jcache.event.JCacheListeners;
import io.layercache.jcache.management.JCacheStatistics;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * Builds a {@link CacheProxy} from a frozen configuration, in order: the JCache parts (expiry
 * policy, loader, writer, copier, statistics), the cache core over its layers
 * ({@link CoreFactory}), the adapter, and finally the adapter's listeners as subscribers of the
 * core's change feed.
 */
final class CacheFactory {

  private CacheFactory() {}

  static <K, V> CacheProxy<K, V> create(LayerCacheManager manager, String name,
      LayerCacheConfiguration<K, V> configuration, Executor executor) {
    ClassLoader classLoader = manager.getClassLoader();
    ExpiryPolicy expiryPolicy = configuration.getExpiryPolicyFactory().create();
    Copier copier = configuration.isStoreByValue()
        ? Copier.forStoreByValue(configuration.getKeyType(), configuration.getValueType(), classLoader)
        : Copier.IDENTITY;
    JCacheStatistics statistics = new JCacheStatistics();
    CacheCore<K, V> core = CoreFactory.build(name, configuration, classLoader, manager.sharedResources(),
        expiryPolicy, copier, statistics, executor);

    EventDispatcher<K, V> dispatcher = new EventDispatcher<>(executor, copier);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    CacheProxy<K, V> proxy = new CacheProxy<>(new ProxyParts<>(name, manager, configuration, core,
        new TypeCheck<>(name, configuration.getKeyType(), configuration.getValueType()), copier, loader(configuration),
        new WriteThrough<>(name, configuration.isWriteThrough() ? writer(configuration) : null), dispatcher,
        statistics, expiryPolicy, executor));
    core.changes().subscribe(new JCacheListeners<>(proxy, dispatcher));
    BusLinks.join(core, configuration.getBus(), configuration.getKeyType(), configuration.getValueType(),
        configuration.getLayers(), manager.sharedResources(), classLoader);
    return proxy;
  }

  /** The loader's factory; the loader itself is created on first use ({@link ReadThrough}). */
  @SuppressWarnings("unchecked")
  private static <K, V> Factory<? extends CacheLoader<K, V>> loader(LayerCacheConfiguration<K, V> configuration) {
    return (Factory<? extends CacheLoader<K, V>>) (Factory<?>) configuration.getCacheLoaderFactory();
  }


  @SuppressWarnings("unchecked")
  private static <K, V> CacheWriter<K, V> writer(LayerCacheConfiguration<K, V> configuration) {
    return configuration.getCacheWriterFactory() == null
        ? null : (CacheWriter<K, V>) (CacheWriter<?, ?>) configuration.getCacheWriterFactory().create();
  }
}
