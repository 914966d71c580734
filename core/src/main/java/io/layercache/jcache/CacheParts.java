package io.layercache.jcache;

import io.layercache.LayerCacheConfiguration;
import io.layercache.codec.Copier;
import io.layercache.coordinator.LayerStack;
import io.layercache.coordinator.TagBarriers;
import io.layercache.TimeSource;
import io.layercache.event.EventHub;
import java.util.concurrent.Executor;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/** Everything {@link CacheFactory} assembles for one {@link CacheProxy}. */
record CacheParts<K, V>(
    String name,
    LayerCacheManager manager,
    LayerCacheConfiguration<K, V> configuration,
    TimeSource time,
    TagBarriers tagBarriers,
    EventHub<K> events,
    LayerStack<K, V> stack,
    Copier copier,
    ExpiryPolicy expiryPolicy,
    CacheLoader<K, V> cacheLoader,
    CacheWriter<K, V> cacheWriter,
    Executor executor) {}
