package io.layercache.layer;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds the {@link LayerFactory} of a layer type among the modules on the class path, and
 * names the artifact to add when it is missing.
 */
public final class LayerFactories {

  /** Layer types shipped as separate modules, and the artifact that provides each. */
  private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
      "redis", "io.layercache:layercache-redis",
      "disk", "io.layercache:layercache-disk");

  private LayerFactories() {}

  /**
   * The factory of {@code type} visible from {@code classLoader}.
   *
   * @throws IllegalArgumentException when no module provides the type; the message names the
   *     artifact to add for the types LayerCache ships
   */
  public static LayerFactory find(String type, ClassLoader classLoader) {
    Map<String, LayerFactory> available = new TreeMap<>();
    for (LayerFactory factory : ServiceLoader.load(LayerFactory.class, classLoader)) {
      available.putIfAbsent(factory.type(), factory);
    }
    if (available.isEmpty() && classLoader != LayerFactories.class.getClassLoader()) {
      for (LayerFactory factory : ServiceLoader.load(LayerFactory.class, LayerFactories.class.getClassLoader())) {
        available.putIfAbsent(factory.type(), factory);
      }
    }
    LayerFactory factory = available.get(type);
    if (factory != null) {
      return factory;
    }
    String artifact = KNOWN_ARTIFACTS.get(type);
    if (artifact != null) {
      throw new IllegalArgumentException("Layer type '" + type + "' needs the artifact " + artifact
          + " on the class path (add it as a dependency)");
    }
    throw new IllegalArgumentException("Unknown layer type '" + type + "'; available types: " + available.keySet());
  }
}
