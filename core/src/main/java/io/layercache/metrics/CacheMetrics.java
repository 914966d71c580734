package io.layercache.metrics;

import io.layercache.LayerStatistics;
import io.layercache.LoadStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@code LayerCache.layerStatistics()} and {@code loadStatistics()}: one
 * recorder of a cache, counting layer and load events with contention-free adders.
 *
 * <p>Layer events (hits, misses, writes, removals, evictions, call times) are counted only while
 * {@link #countLayers layer counting} is on, which the cache turns on with its statistics: a hit
 * on the memory layer is a few nanoseconds of work, and an uncontended adder increment (an atomic
 * compare-and-set) measured about as much again, so a cache nobody observes does not pay it.
 * Load events happen at most once per miss and are always counted.
 */
public final class CacheMetrics implements MetricsRecorder {

  private final LongAdder[][] layers;
  private final LongAdder[] loads = adders(LoadEvent.values().length);
  private final LongAdder[] layerCalls;
  private final LongAdder[] layerCallNanos;
  private final LongAdder loadNanos = new LongAdder();
  private volatile boolean countingLayers;

  /** Counters for {@code layerCount} layers. */
  public CacheMetrics(int layerCount) {
    layers = new LongAdder[layerCount][];
    for (int i = 0; i < layerCount; i++) {
      layers[i] = adders(LayerEvent.values().length);
    }
    layerCalls = adders(layerCount);
    layerCallNanos = adders(layerCount);
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** Turns the counting of layer events on or off (off: {@link #recordLayer} and {@link #recordLayerCall} do nothing). */
  public void countLayers(boolean on) {
    countingLayers = on;
  }

  /** Whether layer events are being counted. */
  public boolean countsLayers() {
    return countingLayers;
  }

  @Override
  public void recordLayer(int layer, LayerEvent event) {
    if (countingLayers) {
      layers[layer][event.ordinal()].increment();
    }
  }

  @Override
  public void recordLoad(LoadEvent event) {
    loads[event.ordinal()].increment();
  }

  @Override
  public void recordLayerCall(int layer, long nanos) {
    if (countingLayers) {
      layerCalls[layer].increment();
      layerCallNanos[layer].add(nanos);
    }
  }

  @Override
  public void recordLoadTime(long nanos) {
    loadNanos.add(nanos);
  }

  /** A layer's count of {@code event}. */
  public long count(int layer, LayerEvent event) {
    return layers[layer][event.ordinal()].sum();
  }

  /** The count of {@code event}. */
  public long count(LoadEvent event) {
    return loads[event.ordinal()].sum();
  }

  /**
   * Each layer's statistics, top first.
   *
   * @param names       the layers' names
   * @param breakerOpen whether each layer's circuit breaker is open now
   * @param diagnostics each layer's own counters
   */
  public List<LayerStatistics> layerStatistics(List<String> names, List<Boolean> breakerOpen,
      List<Map<String, Long>> diagnostics) {
    List<LayerStatistics> result = new ArrayList<>(layers.length);
    for (int i = 0; i < layers.length; i++) {
      result.add(new LayerStatistics(names.get(i), count(i, LayerEvent.HIT), count(i, LayerEvent.MISS),
          count(i, LayerEvent.WRITE), count(i, LayerEvent.REMOVAL), count(i, LayerEvent.EVICTION),
          count(i, LayerEvent.SKIP), count(i, LayerEvent.SOFT_TIMEOUT), count(i, LayerEvent.FAILURE),
          count(i, LayerEvent.REJECTED), breakerOpen.get(i), diagnostics.get(i), layerCalls[i].sum(),
          layerCallNanos[i].sum()));
    }
    return result;
  }

  /** The load counters. */
  public LoadStatistics loadStatistics() {
    return new LoadStatistics(count(LoadEvent.FAIL_SAFE_SERVED), count(LoadEvent.SOFT_TIMEOUT),
        count(LoadEvent.HARD_TIMEOUT), count(LoadEvent.REFRESH_STARTED), count(LoadEvent.REFRESH_FAILED),
        count(LoadEvent.REFRESH_SKIPPED), count(LoadEvent.NOT_FOUND_STORED), count(LoadEvent.NOT_FOUND_HIT),
        count(LoadEvent.LEASE_TAKEN), count(LoadEvent.LEASE_WAIT), count(LoadEvent.SERVED_BY_OTHER_INSTANCE),
        count(LoadEvent.LEASE_WAIT_TIMEOUT), count(LoadEvent.COORDINATION_DEGRADED), count(LoadEvent.LOADED),
        count(LoadEvent.LOAD_FAILED), loadNanos.sum(), count(LoadEvent.IN_FLIGHT_JOINED),
        count(LoadEvent.STALE_WHILE_REVALIDATE_SERVED));
  }

  /** Zeroes every counter. */
  public void reset() {
    for (LongAdder[] layer : layers) {
      for (LongAdder adder : layer) {
        adder.reset();
      }
    }
    for (LongAdder adder : loads) {
      adder.reset();
    }
    for (int i = 0; i < layerCalls.length; i++) {
      layerCalls[i].reset();
      layerCallNanos[i].reset();
    }
    loadNanos.reset();
  }
}
