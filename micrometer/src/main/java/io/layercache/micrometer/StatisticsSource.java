package io.layercache.micrometer;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.LoadStatistics;
import io.layercache.bus.BusStatistics;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import javax.cache.Cache;

/**
 * Reads one figure of a cache's statistics for a meter, at scrape time. A closed cache reads as
 * {@code NaN}, as Micrometer reports a meter whose object is gone: the cache's counters are no
 * longer meaningful once it is closed.
 */
final class StatisticsSource {

  private StatisticsSource() {}

  /** A figure of the layer at {@code index} (top layer first). */
  static ToDoubleFunction<LayerCache<?, ?>> layer(int index, ToLongFunction<LayerStatistics> figure) {
    return cache -> isClosed(cache) ? Double.NaN : figure.applyAsLong(cache.layerStatistics().get(index));
  }

  /** 1 while the breaker of the layer at {@code index} is open, else 0. */
  static ToDoubleFunction<LayerCache<?, ?>> breakerOpen(int index) {
    return cache -> isClosed(cache) ? Double.NaN : cache.layerStatistics().get(index).breakerOpen() ? 1 : 0;
  }

  /** A figure of the cache's load statistics. */
  static ToDoubleFunction<LayerCache<?, ?>> load(ToLongFunction<LoadStatistics> figure) {
    return cache -> isClosed(cache) ? Double.NaN : figure.applyAsLong(cache.loadStatistics());
  }

  /** A figure of the cache's bus statistics; {@code NaN} when the cache has no bus (any more). */
  static ToDoubleFunction<LayerCache<?, ?>> bus(ToDoubleFunction<BusStatistics> figure) {
    return cache -> {
      if (isClosed(cache)) {
        return Double.NaN;
      }
      Optional<BusStatistics> statistics = cache.busStatistics();
      return statistics.isPresent() ? figure.applyAsDouble(statistics.get()) : Double.NaN;
    };
  }

  static boolean isClosed(LayerCache<?, ?> cache) {
    Cache<?, ?> jcache = cache.asJCache();
    return jcache.isClosed();
  }
}
