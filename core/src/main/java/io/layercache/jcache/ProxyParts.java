package io.layercache.jcache;

import io.layercache.LayerCacheConfiguration;
import io.layercache.codec.Copier;
import io.layercache.coordinator.CacheCore;
import io.layercache.coordinator.TypeCheck;
import io.layercache.jcache.event.EventDispatcher;
import io.layercache.jcache.management.JCacheStatistics;
import java.util.concurrent.Executor;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.configuration.Factory;
import javax.cache.integration.CacheLoader;

/** Everything {@link CacheFactory} assembles for one {@link CacheProxy}. */
record ProxyParts<K, V>(
    String name,
    LayerCacheManager manager,
    LayerCacheConfiguration<K, V> configuration,
    CacheCore<K, V> core,
    TypeCheck<K, V> types,
    Copier copier,
    Factory<? extends CacheLoader<K, V>> cacheLoader,
    WriteThrough<K, V> writeThrough,
    EventDispatcher<K, V> dispatcher,
    JCacheStatistics statistics,
    ExpiryPolicy expiryPolicy,
    Executor executor) {}
