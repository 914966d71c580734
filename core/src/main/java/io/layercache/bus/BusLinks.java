package io.layercache.bus;

import io.layercache.codec.CodecSettings;
import io.layercache.coordinator.CacheCore;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.SharedResources;
import java.util.List;

/**
 * Joins a cache to its bus when it is built: finds (or starts, once per cache manager) the hub of
 * the cache's transport and settings, and subscribes the cache's link to its change feed. The
 * link leaves the hub when the cache closes; the hub closes with the cache manager.
 */
public final class BusLinks {

  private BusLinks() {}

  /** Hubs are shared by caches whose transport and settings are equal. */
  private record HubKey(BusSpec transport, BusSettings settings) {}

  /**
   * Links {@code core} to the bus of {@code bus}; does nothing without a bus.
   *
   * @param layers the cache's layers: the first with codec settings sets what keys and values the
   *               bus may carry (the defaults otherwise)
   */
  public static <K, V> void join(CacheCore<K, V> core, BusConfig bus, Class<K> keyType, Class<V> valueType,
      List<LayerSpec> layers, SharedResources shared, ClassLoader classLoader) {
    BusSpec transport = bus.transport();
    if (transport == null) {
      return;
    }
    BusHub hub = shared.computeIfAbsent(new HubKey(transport, bus.settings()), () -> BusHub.start(bus.settings(),
        BusFactories.find(transport.type(), classLoader).create(transport, shared, classLoader)));
    CacheLink<K, V> link = new CacheLink<>(core.name(), core, hub, keyType, valueType, codec(layers), classLoader);
    hub.link(link);
    core.changes().subscribe(link);
  }

  /** The hub a cache of this configuration uses, for statistics; null without a bus or before any cache joined. */
  public static BusHub hubOf(BusConfig bus, SharedResources shared) {
    BusSpec transport = bus.transport();
    if (transport == null) {
      return null;
    }
    return shared.find(new HubKey(transport, bus.settings()));
  }

  private static CodecSettings codec(List<LayerSpec> layers) {
    for (LayerSpec layer : layers) {
      CodecSettings settings = layer.codecSettings();
      if (settings != null) {
        return settings;
      }
    }
    return CodecSettings.defaults();
  }
}
