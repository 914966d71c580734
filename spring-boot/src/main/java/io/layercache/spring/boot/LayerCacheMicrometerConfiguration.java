package io.layercache.spring.boot;

import io.layercache.micrometer.LayerCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds every cache of the starter's cache manager to the application's Micrometer registry when
 * {@code layercache-micrometer} and Micrometer are on the class path: the standard {@code cache.*}
 * meters plus LayerCache's per-layer, load, breaker and bus meters.
 *
 * <ul>
 *   <li>Every cache, including those created later from the default template (through
 *       {@link LayerCacheBinder}), which a binding made once at startup would miss.
 *   <li>Tagged {@code cache.manager=cacheManager}, the tag Spring Boot's own cache metrics give
 *       the {@code cacheManager} bean, so that both produce one set of {@code cache.*} meters
 *       (Micrometer keeps the first of equal name and tags; the starter binds first).
 *   <li>Nothing happens while the application has no {@link MeterRegistry} bean.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
    "io.layercache.micrometer.LayerCacheMetrics"})
class LayerCacheMicrometerConfiguration {

  /** The {@code cache.manager} tag value of the starter's Spring cache manager. */
  static final String CACHE_MANAGER_TAG = "cacheManager";

  @Bean
  LayerCacheBinder layerCacheMicrometerBinder(ObjectProvider<MeterRegistry> registry) {
    return cache -> {
      MeterRegistry meters = registry.getIfAvailable();
      if (meters != null) {
        LayerCacheMetrics.monitor(meters, cache, Tags.of("cache.manager", CACHE_MANAGER_TAG));
      }
    };
  }
}
