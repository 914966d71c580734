package io.layercache.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.net.URI;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The application's {@code CacheManager}: LayerCache's, selected by class name, configured by
 * the HOCON file that {@code app.layercache-config} names in {@code application.properties}
 * ({@code classpath:layercache.conf}), closed when Quarkus stops. The interceptors and any bean that injects a
 * {@code CacheManager} share it.
 */
@ApplicationScoped
public class CacheManagerProducer {

  @Produces
  @ApplicationScoped
  CacheManager cacheManager(@ConfigProperty(name = "app.layercache-config") URI file) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return Caching.getCachingProvider("io.layercache.jcache.LayerCachingProvider", loader)
        .getCacheManager(file, loader);
  }

  void close(@Disposes CacheManager manager) {
    manager.close();
  }
}
