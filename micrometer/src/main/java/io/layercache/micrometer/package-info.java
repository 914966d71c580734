/**
 * Micrometer meters for LayerCache caches: {@link io.layercache.micrometer.LayerCacheMeterBinder}
 * binds one cache (the standard {@code cache.*} meters plus per-layer, load, single-flight, breaker
 * and invalidation-bus meters), {@link io.layercache.micrometer.LayerCacheMetrics} binds a cache or
 * every cache of a cache manager. Every meter reads a counter the cache keeps anyway, at scrape
 * time: binding adds nothing to the cache's operations.
 */
package io.layercache.micrometer;
