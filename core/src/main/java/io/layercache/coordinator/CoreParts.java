package io.layercache.coordinator;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.NegativeCachingSettings;
import io.layercache.RefreshSettings;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.event.EventHub;
import io.layercache.metrics.CacheMetrics;
import io.layercache.metrics.MetricsRecorder;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Everything the cache factory assembles for one {@link CacheCore}, built in its readable steps
 * before any part is used: no part is wired in after construction.
 *
 * @param metrics    the recorders of operation-level counts (the JCache statistics MXBean)
 * @param cacheMetrics the always-on counters of layer and load events, behind the layer and load
 *                   statistics
 * @param executor   runs background work (refreshes, batch loads); not bounded
 * @param loadPool   runs loads under a loader timeout; bounded
 * @param refreshing the keys whose background refresh runs now, shared by the stack's
 *                   stale-while-revalidate reads and the refreshes
 */
public record CoreParts<K, V>(
    String name,
    LayerStack<K, V> stack,
    TimeSource time,
    WriteClock writeClock,
    TagBarriers tagBarriers,
    Copier copier,
    ExpiryRules expiry,
    EntryOptions defaultOptions,
    FailSafeSettings failSafe,
    RefreshSettings refresh,
    NegativeCachingSettings negativeCaching,
    DistributedSingleFlight<K> distributed,
    EventHub<K> events,
    ChangeFeed<K, V> feed,
    MetricsRecorder metrics,
    CacheMetrics cacheMetrics,
    Executor executor,
    Executor loadPool,
    TypeCheck<K, V> types,
    Set<Object> refreshing) {}
