package io.layercache.micrometer;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.jcache.CacheProxy;
import io.layercache.jcache.management.JCacheStatistics;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.List;
import java.util.Objects;
import javax.cache.Cache;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the meters of one LayerCache cache to a Micrometer registry: Micrometer's standard cache
 * meters, so cache dashboards keep working, plus LayerCache's own per-layer, load, single-flight,
 * breaker and bus meters.
 *
 * <ul>
 *   <li>Every meter is a function of a counter the cache keeps, read when the registry publishes.
 *       A cache counts per-layer events only while it is observed (statistics on, or a binder):
 *       binding turns them on ({@code CacheProxy.keepLayerCounters()}), an adder increment per
 *       layer event; nothing else is added to the cache's operations.
 *   <li>{@code cache.gets}, {@code cache.puts}, {@code cache.evictions} and {@code cache.removals}
 *       read the JCache statistics, which count only while statistics are enabled (JCache's rule);
 *       they are bound anyway and move once statistics are turned on. Everything else counts from
 *       the binding on.
 *   <li>{@code cache.size} is bound only when every layer is in-process: a remote layer's size is
 *       a full key scan, too dear for every scrape.
 *   <li>The cache is held weakly, as by Micrometer's own binders; a closed cache's meters read NaN.
 * </ul>
 */
public final class LayerCacheMeterBinder extends CacheMeterBinder<LayerCache<?, ?>> {

  private static final Logger LOG = LoggerFactory.getLogger(LayerCacheMeterBinder.class);

  private final JCacheStatistics statistics;
  private final List<LayerSpec> layers;
  private final boolean inProcess;

  /**
   * A binder for {@code cache}; its meters carry {@code tags} and {@code cache=<name>}.
   *
   * @throws IllegalArgumentException when {@code cache} is not a LayerCache cache
   */
  public LayerCacheMeterBinder(Cache<?, ?> cache, Iterable<Tag> tags) {
    super(layerCache(cache), cache.getName(), tags);
    CacheProxy<?, ?> proxy = cache.unwrap(CacheProxy.class);
    this.statistics = proxy.statistics();
    this.layers = List.copyOf(proxy.getConfiguration(LayerCacheConfiguration.class).getLayers());
    this.inProcess = layers.stream().allMatch(MemoryLayerSpec.class::isInstance);
    // A cache counts per-layer events only while observed; this binder observes it.
    proxy.keepLayerCounters();
    if (!statistics.isEnabled()) {
      LOG.info("cache={} JCache statistics are off: cache.gets, cache.puts, cache.evictions and cache.removals "
          + "stay at 0 until they are enabled (statistics = true, setStatisticsEnabled(true) or "
          + "CacheManager.enableStatistics); the layercache.* meters count from now on", cache.getName());
    }
  }

  private static LayerCache<?, ?> layerCache(Cache<?, ?> cache) {
    Objects.requireNonNull(cache, "cache");
    try {
      return cache.unwrap(CacheProxy.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cache '" + cache.getName() + "' is a " + cache.getClass().getName()
          + ", not a LayerCache cache: bind it with Micrometer's JCacheMetrics instead", e);
    }
  }

  @Override
  protected @Nullable Long size() {
    LayerCache<?, ?> cache = getCache();
    if (!inProcess || cache == null) {
      return null;
    }
    return StatisticsSource.isClosed(cache) ? 0L : cache.estimatedSize();
  }

  @Override
  protected long hitCount() {
    return statistics.getCacheHits();
  }

  @Override
  protected Long missCount() {
    return statistics.getCacheMisses();
  }

  @Override
  protected Long evictionCount() {
    return statistics.getCacheEvictions();
  }

  @Override
  protected long putCount() {
    return statistics.getCachePuts();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    LayerCache<?, ?> cache = getCache();
    if (cache == null) {
      return;
    }
    Tags tags = Tags.of(getTagsWithCacheName());
    FunctionCounter.builder("cache.removals", statistics, JCacheStatistics::getCacheRemovals)
        .tags(tags)
        .description("Entries removed by operations (JCache statistics)")
        .register(registry);
    new LayerMeters(cache, tags, layers).bindTo(registry);
    new LoadMeters(cache, tags).bindTo(registry);
    new BusMeters(cache, tags).bindTo(registry);
  }
}
