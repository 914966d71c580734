package io.layercache.bus;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds the {@link BusFactory} of a bus type among the modules on the class path, and names the
 * artifact to add when it is missing.
 */
public final class BusFactories {

  /** Bus types shipped as separate modules, and the artifact that provides each. */
  private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
      "redis", "io.layercache:layercache-redis",
      "nats", "io.layercache:layercache-nats",
      "rabbitmq", "io.layercache:layercache-rabbitmq");

  private BusFactories() {}

  /**
   * The factory of {@code type} visible from {@code classLoader}.
   *
   * @throws IllegalArgumentException when no module provides the type; the message names the
   *     artifact to add for the types LayerCache ships
   */
  public static BusFactory find(String type, ClassLoader classLoader) {
    Map<String, BusFactory> available = new TreeMap<>();
    for (ClassLoader loader : new ClassLoader[] {classLoader, BusFactories.class.getClassLoader()}) {
      for (BusFactory factory : ServiceLoader.load(BusFactory.class, loader)) {
        available.putIfAbsent(factory.type(), factory);
      }
    }
    BusFactory factory = available.get(type);
    if (factory != null) {
      return factory;
    }
    String artifact = KNOWN_ARTIFACTS.get(type);
    if (artifact != null) {
      throw new IllegalArgumentException("bus.type = " + type + " needs the artifact " + artifact
          + " on the class path (add it as a dependency)");
    }
    throw new IllegalArgumentException("Unknown bus.type '" + type + "'; available types: none, "
        + String.join(", ", available.keySet()));
  }
}
