package io.layercache.examples.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The application's one {@code CacheManager}, which the JSR-107 interceptors use: LayerCache's,
 * selected by class name (Redisson, when on the class path, registers a second JCache provider),
 * configured by a HOCON file. Closed with the container.
 */
@ApplicationScoped
public class CacheManagerProducer {

  /** System property naming the configuration file; {@code classpath:layercache.conf} when unset. */
  public static final String CONFIG_PROPERTY = "layercache.example.config";

  @Produces
  @ApplicationScoped
  CacheManager cacheManager() {
    URI file = URI.create(System.getProperty(CONFIG_PROPERTY, "classpath:layercache.conf"));
    return Caching.getCachingProvider("io.layercache.jcache.LayerCachingProvider")
        .getCacheManager(file, CacheManagerProducer.class.getClassLoader());
  }

  void close(@Disposes CacheManager manager) {
    manager.close();
  }
}
