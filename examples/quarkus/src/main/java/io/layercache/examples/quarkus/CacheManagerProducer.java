package io.layercache.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The application's {@code CacheManager}: LayerCache's, selected by class name, configured by
 * {@code layercache.conf}, closed when Quarkus stops. The interceptors and any bean that injects a
 * {@code CacheManager} share it.
 */
@ApplicationScoped
public class CacheManagerProducer {

  @Produces
  @ApplicationScoped
  CacheManager cacheManager() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return Caching.getCachingProvider("io.layercache.jcache.LayerCachingProvider", loader)
        .getCacheManager(URI.create("classpath:layercache.conf"), loader);
  }

  void close(@Disposes CacheManager manager) {
    manager.close();
  }
}
