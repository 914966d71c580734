package io.layercache.coordinator;

import io.layercache.EntryInfo;
import io.layercache.FailSafeSettings;
import io.layercache.LayerStatistics;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.layer.Layer;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.CacheMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a cache core tells about itself without changing anything: entry info with its
 * freshness, and the per-layer statistics.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheDiagnostics<K, V> {

  private final LayerStack<K, V> stack;
  private final TimeSource time;
  private final Copier copier;
  private final FailSafeSettings failSafe;
  private final CacheMetrics cacheMetrics;
  private final BackgroundRefresh<K, V> refresh;

  CacheDiagnostics(CoreParts<K, V> parts, BackgroundRefresh<K, V> refresh) {
    this.stack = parts.stack();
    this.time = parts.time();
    this.copier = parts.copier();
    this.failSafe = parts.failSafe();
    this.cacheMetrics = parts.cacheMetrics();
    this.refresh = refresh;
  }


  /** Describes the entry of {@code key}, without touching statistics, expiry or events. */
  Optional<EntryInfo<V>> entryInfo(K key) {
    LayerStack.Located<K, V> found = stack.inspect(key);
    if (found == null) {
      return Optional.empty();
    }
    StoredEntry<V> entry = found.entry();
    EntryInfo.Freshness freshness = freshnessOf(entry);
    if (freshness == null) {
      return Optional.empty();
    }
    Instant expiresAt = entry.expireAt() == StoredEntry.ETERNAL ? null : Instant.ofEpochMilli(entry.expireAt());
    V value = entry.isNotFound() ? null : copier.copy(entry.value());
    Instant writtenAt = entry.writtenAt() == StoredEntry.UNSTAMPED ? null
        : Instant.ofEpochMilli(WriteClock.toMillis(entry.writtenAt()));
    return Optional.of(new EntryInfo<>(value, found.layer().name(), writtenAt, expiresAt, entry.tags(), freshness));
  }

  private EntryInfo.Freshness freshnessOf(StoredEntry<V> entry) {
    boolean live = entry.isLive(time);
    if (entry.isNotFound()) {
      return live ? EntryInfo.Freshness.NOT_FOUND : null;
    }
    if (live) {
      return entry.kind() == StoredEntry.Kind.FAIL_SAFE ? EntryInfo.Freshness.FAIL_SAFE : EntryInfo.Freshness.FRESH;
    }
    if (refresh.withinRevalidationWindow(entry)) {
      return EntryInfo.Freshness.STALE_WHILE_REVALIDATE;
    }
    if (failSafe.servesStale(WriteClock.toMillis(entry.writtenAt()), now())) {
      return EntryInfo.Freshness.FAIL_SAFE;
    }
    return null;
  }

  /** Counters of each layer, fastest first. */
  List<LayerStatistics> layerStatistics() {
    List<String> names = new ArrayList<>();
    List<Boolean> breakerOpen = new ArrayList<>();
    List<Map<String, Long>> diagnostics = new ArrayList<>();
    for (LayerAccessor<K, V> layer : stack.layers()) {
      names.add(layer.name());
      breakerOpen.add(layer.breakerOpen());
      diagnostics.add(layer.diagnostics());
    }
    return cacheMetrics.layerStatistics(names, breakerOpen, diagnostics);
  }

  /** Zeroes the per-layer and load counters. */
  void reset() {
    cacheMetrics.reset();
    stack.layers().forEach(Layer::resetDiagnostics);
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
