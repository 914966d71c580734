package io.layercache.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * One-line binding of LayerCache caches to a Micrometer registry, in the style of Micrometer's
 * {@code JCacheMetrics.monitor}.
 *
 * <ul>
 *   <li>{@link #monitor(MeterRegistry, CacheManager, Iterable)} binds the caches the manager has
 *       when it is called; a cache created later needs its own {@link #monitor(MeterRegistry, Cache,
 *       Iterable)} (the JCache manager has no creation callback to hook).
 *   <li>Binding the same cache twice to one registry is harmless: Micrometer keeps the first meter
 *       of each name and tags.
 * </ul>
 */
public final class LayerCacheMetrics {

  private LayerCacheMetrics() {}

  /**
   * Binds {@code cache}'s meters to {@code registry}.
   *
   * @param tags extra tags as key/value pairs (an even number of strings)
   * @return the cache, unchanged
   * @throws IllegalArgumentException when {@code cache} is not a LayerCache cache
   */
  public static <C extends Cache<?, ?>> C monitor(MeterRegistry registry, C cache, String... tags) {
    return monitor(registry, cache, Tags.of(tags));
  }

  /**
   * Binds {@code cache}'s meters to {@code registry}, with {@code tags} on every meter.
   *
   * @return the cache, unchanged
   * @throws IllegalArgumentException when {@code cache} is not a LayerCache cache
   */
  public static <C extends Cache<?, ?>> C monitor(MeterRegistry registry, C cache, Iterable<Tag> tags) {
    Objects.requireNonNull(registry, "registry");
    new LayerCacheMeterBinder(cache, tags).bindTo(registry);
    return cache;
  }

  /**
   * Binds the meters of every cache {@code cacheManager} has now.
   *
   * @return the cache manager, unchanged
   * @throws IllegalArgumentException when one of its caches is not a LayerCache cache
   */
  public static <M extends CacheManager> M monitor(MeterRegistry registry, M cacheManager, Iterable<Tag> tags) {
    Objects.requireNonNull(cacheManager, "cacheManager");
    for (String name : cacheManager.getCacheNames()) {
      Cache<Object, Object> cache = cacheManager.getCache(name);
      if (cache != null) {
        monitor(registry, cache, tags);
      }
    }
    return cacheManager;
  }
}
