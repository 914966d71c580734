package io.layercache.config;

import io.layercache.LayerCacheConfiguration;
import java.util.Map;

/**
 * What a configuration file declares for one cache manager: the template every cache starts
 * from, and the named caches to create with the manager.
 *
 * @param defaults the {@code layercache.default} template
 * @param caches   the caches of {@code layercache.caches}, by name, in file order
 */
public record CacheTemplates(LayerCacheConfiguration<Object, Object> defaults,
    Map<String, LayerCacheConfiguration<Object, Object>> caches) {

  /** Freezes and validates the templates. */
  public CacheTemplates {
    defaults.freeze();
    caches.values().forEach(LayerCacheConfiguration::freeze);
    caches = Map.copyOf(caches);
  }
}
