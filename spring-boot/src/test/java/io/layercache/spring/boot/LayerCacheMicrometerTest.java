package io.layercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.micrometer.LayerCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;

/** With layercache-micrometer and a registry, every cache of the starter gets its meters. */
class LayerCacheMicrometerTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LayerCacheAutoConfiguration.class, CacheAutoConfiguration.class))
      .withUserConfiguration(LayerCacheAutoConfigurationTest.CachingOn.class)
      .withPropertyValues("layercache.caches.books.statistics=true");

  @Test
  void declaredCachesAndCachesCreatedLaterAreBoundToTheRegistry() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(gets(registry, "books")).isTrue();
      assertThat(gets(registry, "later")).isFalse();

      context.getBean(CacheManager.class).getCache("later").put("k", "v");

      assertThat(gets(registry, "later")).isTrue();
    });
  }

  @Test
  void withoutTheModuleNoBinderIsRegistered() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withClassLoader(new FilteredClassLoader(LayerCacheMetrics.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("layerCacheMicrometerBinder");
          assertThat(gets(context.getBean(MeterRegistry.class), "books")).isFalse();
        });
  }

  @Test
  void withoutARegistryTheApplicationStartsAsUsual() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasBean("layerCacheMicrometerBinder");
    });
  }

  private static boolean gets(MeterRegistry registry, String cache) {
    return !registry.find("cache.gets").tags("cache", cache, "cache.manager", "cacheManager").meters().isEmpty();
  }
}
