package io.layercache.micrometer;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The meters of each layer of one cache, tagged {@code cache} and {@code layer}, read from
 * {@link LayerCache#layerStatistics()}.
 */
final class LayerMeters {

  private final LayerCache<?, ?> cache;
  private final Tags cacheTags;
  private final List<LayerSpec> specs;

  LayerMeters(LayerCache<?, ?> cache, Tags cacheTags, List<LayerSpec> specs) {
    this.cache = cache;
    this.cacheTags = cacheTags;
    this.specs = specs;
  }

  void bindTo(MeterRegistry registry) {
    List<String> names = layerTags(cache.layerStatistics());
    for (int i = 0; i < names.size(); i++) {
      Tags tags = cacheTags.and("layer", names.get(i));
      bindLayer(registry, i, tags);
      if (i < specs.size() && !(specs.get(i) instanceof MemoryLayerSpec)) {
        bindCalls(registry, i, tags);
      }
    }
  }

  private void bindLayer(MeterRegistry registry, int index, Tags tags) {
    counter(registry, "layercache.layer.gets", tags.and("result", "hit"), index, LayerStatistics::hits,
        "Reads this layer answered with a live entry (hit) or could not answer (miss)");
    counter(registry, "layercache.layer.gets", tags.and("result", "miss"), index, LayerStatistics::misses,
        "Reads this layer answered with a live entry (hit) or could not answer (miss)");
    counter(registry, "layercache.layer.writes", tags, index, LayerStatistics::writes,
        "Entries written to this layer, backfills included");
    counter(registry, "layercache.layer.removals", tags, index, LayerStatistics::removals,
        "Entries removed from this layer by an operation");
    counter(registry, "layercache.layer.evictions", tags, index, LayerStatistics::evictions,
        "Entries this layer dropped by itself (size bound or expiry)");
    counter(registry, "layercache.layer.skips", tags, index, LayerStatistics::skipped,
        "Reads that skipped this layer after a failed call in the same operation (graceful mode)");
    counter(registry, "layercache.layer.soft.timeouts", tags, index, LayerStatistics::softTimeouts,
        "Reads that stopped waiting for this layer at the remote soft timeout");
    counter(registry, "layercache.layer.failures", tags, index, LayerStatistics::failures,
        "Calls to this layer that failed (unreachable, timed out)");
    counter(registry, "layercache.layer.rejections", tags, index, LayerStatistics::rejected,
        "Calls refused at once because this layer's circuit breaker was open");
    Gauge.builder("layercache.layer.breaker.open", cache, StatisticsSource.breakerOpen(index))
        .tags(tags)
        .description("1 while this layer's circuit breaker is open (calls fail fast or skip the layer), else 0")
        .register(registry);
  }

  private void bindCalls(MeterRegistry registry, int index, Tags tags) {
    FunctionTimer.builder("layercache.layer.calls", cache,
            c -> StatisticsSource.isClosed(c) ? 0 : c.layerStatistics().get(index).calls(),
            StatisticsSource.layer(index, LayerStatistics::callTimeNanos), TimeUnit.NANOSECONDS)
        .tags(tags)
        .description("Calls to this layer and the time they took, whatever their outcome")
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, Tags tags, int index,
      ToLongFunction<LayerStatistics> figure, String description) {
    FunctionCounter.builder(name, cache, StatisticsSource.layer(index, figure))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  /** Layer names as tag values; a name used twice gets its position appended, so meters stay apart. */
  private static List<String> layerTags(List<LayerStatistics> layers) {
    List<String> names = new ArrayList<>(layers.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < layers.size(); i++) {
      String name = layers.get(i).layer();
      names.add(seen.add(name) ? name : name + "-" + (i + 1));
    }
    return names;
  }
}
