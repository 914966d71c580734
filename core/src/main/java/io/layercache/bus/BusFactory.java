package io.layercache.bus;

import com.typesafe.config.Config;
import io.layercache.layer.SharedResources;

/**
 * Builds one kind of {@link BusTransport}; found through {@link java.util.ServiceLoader}, so a
 * transport module plugs in by being on the class path (core never names one).
 */
public interface BusFactory {

  /** The type this factory builds, as in {@code bus.type}. */
  String type();

  /**
   * Reads the transport's settings from a cache's configuration section.
   *
   * @param cache the cache's whole section (with the defaults merged in): the transport reads
   *              {@code bus.<type>} and may read other sections, e.g. the Redis connection
   * @param path  the section's path, to name settings in errors
   * @throws IllegalArgumentException naming the setting that is invalid
   */
  BusSpec parse(Config cache, String path, ClassLoader classLoader);

  /**
   * A transport for {@code spec}; not yet subscribed.
   *
   * @param shared the cache manager's shared resources (connections made once per manager)
   */
  BusTransport create(BusSpec spec, SharedResources shared, ClassLoader classLoader);
}
