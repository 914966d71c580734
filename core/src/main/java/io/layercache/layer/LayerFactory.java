package io.layercache.layer;

import com.typesafe.config.Config;

/**
 * Service-provider interface through which layer types plug into core. Implementations are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.layercache.layer.LayerFactory}),
 * so core never imports an integration module.
 */
public interface LayerFactory {

  /** The type this factory builds, e.g. {@code "redis"}; unique across factories. */
  String type();

  /**
   * Reads a layer definition from a configuration file section (already merged with the
   * documented defaults).
   *
   * @param settings    the layer's section
   * @param path        the section's path, to name in error messages
   * @param classLoader the cache manager's class loader, for classes named by settings
   * @throws IllegalArgumentException naming the setting, when a value is invalid
   */
  LayerSpec parse(Config settings, String path, ClassLoader classLoader);

  /** Builds the layer for one cache. */
  <K, V> Layer<K, V> create(LayerSpec spec, LayerContext<K, V> context);
}
