package io.layercache.spring.boot;

import io.layercache.jcache.LayerCachingProvider;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Makes LayerCache the cache of a Spring Boot application: a JCache {@code CacheManager} of
 * LayerCache's provider configured by the {@code layercache.*} properties, and Spring's cache
 * manager over it for {@code @Cacheable} and JSR-107's {@code @CacheResult}.
 *
 * <ul>
 *   <li>Runs when {@code spring.cache.type} is {@code jcache} or unset, before Boot's own cache
 *       auto-configuration, which then backs off (it yields to an existing cache manager).
 *   <li>The provider is {@link LayerCachingProvider}, chosen by class name: another JCache
 *       provider on the class path (Redisson registers one) is never picked by accident.
 *   <li>Each application context gets its own cache manager (its own URI), closed with the
 *       context.
 *   <li>Boot's contracts hold: {@code spring.cache.cache-names}, {@link JCacheManagerCustomizer}
 *       and {@link CacheManagerCustomizer} beans apply as with Boot's JCache support.
 *   <li>An application that defines its own {@code javax.cache.CacheManager} or Spring
 *       {@code CacheManager} bean keeps it.
 *   <li>With {@code layercache-micrometer} and a {@code MeterRegistry}, every cache's meters are
 *       bound ({@link LayerCacheMicrometerConfiguration}).
 * </ul>
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({Caching.class, JCacheCacheManager.class, LayerCachingProvider.class})
@ConditionalOnProperty(name = "spring.cache.type", havingValue = "jcache", matchIfMissing = true)
@Import(LayerCacheMicrometerConfiguration.class)
public class LayerCacheAutoConfiguration {

  /** The URI scheme-specific prefix of the managers this auto-configuration opens. */
  static final String URI_PREFIX = "layercache:spring-boot-";

  private static final AtomicLong MANAGERS = new AtomicLong();

  /** The application's LayerCache settings; a bad one stops the application here. */
  @Bean
  @ConditionalOnMissingBean
  LayerCacheSettings layerCacheSettings(Environment environment, ResourceLoader resourceLoader) {
    return LayerCacheSettings.load(environment, resourceLoader);
  }

  /** Creates the caches of {@code layercache.caches} in the JCache manager. */
  @Bean
  DeclaredCachesCustomizer layerCacheDeclaredCaches(LayerCacheSettings settings) {
    return new DeclaredCachesCustomizer(settings);
  }

  /**
   * The JCache cache manager: LayerCache's provider selected by class name, the default template
   * from the properties, then the caches of {@code spring.cache.cache-names} and the customizers.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(CacheManager.class)
  CacheManager layerCacheJCacheManager(LayerCacheSettings settings, Environment environment,
      ResourceLoader resourceLoader, ObjectProvider<JCacheManagerCustomizer> customizers,
      ObjectProvider<LayerCacheBinder> binders) {
    ClassLoader classLoader = resourceLoader.getClassLoader();
    LayerCachingProvider provider = (LayerCachingProvider) Caching.getCachingProvider(
        LayerCachingProvider.class.getName(), classLoader);
    URI uri = URI.create(URI_PREFIX + MANAGERS.incrementAndGet());
    CacheManager manager = provider.openCacheManager(uri, classLoader, settings.managerTemplates());
    try {
      for (String name : springCacheNames(environment)) {
        if (!settings.declaredCaches().containsKey(name) && manager.getCache(name) == null) {
          manager.createCache(name, settings.defaults());
        }
      }
      customizers.orderedStream().forEach(customizer -> customizer.customize(manager));
      for (String name : manager.getCacheNames()) {
        binders.orderedStream().forEach(binder -> binder.bind(manager.getCache(name)));
      }
      return manager;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Spring's cache manager, for the cache annotations ({@code @EnableCaching}): undeclared cache
   * names get the default template.
   */
  @Bean
  @ConditionalOnBean(CacheAspectSupport.class)
  @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
  LayerCacheCacheManager cacheManager(CacheManager layerCacheJCacheManager, LayerCacheSettings settings,
      ObjectProvider<CacheManagerCustomizer<?>> customizers, ObjectProvider<LayerCacheBinder> binders) {
    LayerCacheCacheManager cacheManager = new LayerCacheCacheManager(layerCacheJCacheManager, settings.defaults(),
        cache -> binders.orderedStream().forEach(binder -> binder.bind(cache)));
    return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(cacheManager);
  }

  private static List<String> springCacheNames(Environment environment) {
    return Binder.get(environment).bind("spring.cache.cache-names", Bindable.listOf(String.class)).orElse(List.of());
  }
}
