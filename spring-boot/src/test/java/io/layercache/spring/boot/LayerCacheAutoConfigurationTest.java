package io.layercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCacheConfiguration;
import io.layercache.jcache.LayerCacheManager;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisLayerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Caching;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The starter's wiring and property mapping, on the memory layer (no server needed). */
class LayerCacheAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LayerCacheAutoConfiguration.class, CacheAutoConfiguration.class))
      .withUserConfiguration(CachingOn.class);

  @Test
  void springUsesLayerCachesProviderEvenWithRedissonsProviderOnTheClassPath() {
    List<String> providers = new ArrayList<>();
    Caching.getCachingProviders(getClass().getClassLoader()).forEach(p -> providers.add(p.getClass().getName()));
    assertThat(providers).contains("org.redisson.jcache.JCachingProvider", "io.layercache.jcache.LayerCachingProvider");

    runner.withPropertyValues("spring.cache.type=jcache").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(javax.cache.CacheManager.class)).isInstanceOf(LayerCacheManager.class);
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(LayerCacheCacheManager.class);
    });
  }

  @Test
  void declaredCachesGetTheirPropertiesOverTheDefaults() {
    runner.withPropertyValues(
        "layercache.default.memory.maximum-size=1000",
        "layercache.default.entry.ttl=5m",
        "layercache.caches.books.memory.maximum-size=50",
        "layercache.caches.books.expiry.policy=created",
        "layercache.caches.books.expiry.duration=30s",
        "layercache.caches.books.fail-safe.enabled=true",
        "layercache.caches.books.entry.tags=catalog, books",
        "layercache.caches[Orders.v2].memory.maximum-size=5").run(context -> {
          javax.cache.CacheManager jcache = context.getBean(javax.cache.CacheManager.class);
          assertThat(jcache.getCacheNames()).containsExactlyInAnyOrder("books", "Orders.v2");

          LayerCacheConfiguration<?, ?> books = configuration(jcache, "books");
          assertThat(books.getLayers()).containsExactly(MemoryLayerSpec.ofMaximumSize(50));
          assertThat(books.getExpiryPolicyFactory().create()).isInstanceOf(CreatedExpiryPolicy.class);
          assertThat(books.getFailSafe().enabled()).isTrue();
          assertThat(books.getDefaultEntryOptions().ttl()).isEqualTo(Duration.ofMinutes(5));
          assertThat(books.getDefaultEntryOptions().tags()).isEqualTo(Set.of("catalog", "books"));
          assertThat(configuration(jcache, "Orders.v2").getLayers()).containsExactly(MemoryLayerSpec.ofMaximumSize(5));
        });
  }

  @Test
  void anUndeclaredCacheNameGetsTheDefaultTemplate() {
    runner.withPropertyValues("layercache.default.memory.maximum-size=123").run(context -> {
      CacheManager spring = context.getBean(CacheManager.class);
      javax.cache.CacheManager jcache = context.getBean(javax.cache.CacheManager.class);
      assertThat(jcache.getCache("authors")).isNull();

      spring.getCache("authors").put("a1", "Le Guin");

      assertThat(configuration(jcache, "authors").getLayers()).containsExactly(MemoryLayerSpec.ofMaximumSize(123));
      assertThat(jcache.getCache("authors").get("a1")).isEqualTo("Le Guin");
    });
  }

  @Test
  void aHoconFileIsReadAndPropertiesOverrideIt() {
    runner.withPropertyValues(
        "layercache.config=classpath:layercache-starter-test.conf",
        "layercache.caches.orders.memory.maximum-size=7").run(context -> {
          javax.cache.CacheManager jcache = context.getBean(javax.cache.CacheManager.class);
          LayerCacheConfiguration<?, ?> orders = configuration(jcache, "orders");
          assertThat(orders.getLayers()).containsExactly(MemoryLayerSpec.ofMaximumSize(7));
          assertThat(orders.getExpiryPolicyFactory().create()).isInstanceOf(CreatedExpiryPolicy.class);
          assertThat(orders.isStatisticsEnabled()).isTrue();
        });
  }

  @Test
  void springCacheNamesAndTheApplicationsCustomizersAreHonoured() {
    List<Iterable<String>> seenByCustomizer = new ArrayList<>();
    runner.withPropertyValues("spring.cache.cache-names=a,b", "layercache.caches.declared.statistics=true")
        .withBean(JCacheManagerCustomizer.class, () -> manager -> seenByCustomizer.add(manager.getCacheNames()))
        .run(context -> {
          javax.cache.CacheManager jcache = context.getBean(javax.cache.CacheManager.class);
          assertThat(jcache.getCacheNames()).containsExactlyInAnyOrder("a", "b", "declared");
          assertThat(seenByCustomizer).singleElement()
              .satisfies(names -> assertThat(names).contains("declared"));
        });
  }

  @Test
  void aListSettingTakesIndexedPropertiesAndSpringsOwnClassesAreAdmittedToTheCodec() {
    runner.withPropertyValues(
        "layercache.default.layers[0]=memory",
        "layercache.default.layers[1]=redis",
        "layercache.default.redis.address=redis://127.0.0.1:1",
        "layercache.default.redis.codec.allowed-class-prefixes=com.example.model.",
        "layercache.default.redis.codec.registrations.100=" + Book.class.getName()).run(context -> {
          LayerCacheSettings settings = context.getBean(LayerCacheSettings.class);
          assertThat(settings.defaults().getLayers()).hasSize(2);
          RedisLayerSpec redis = (RedisLayerSpec) settings.defaults().getLayers().get(1);
          assertThat(redis.codec().allowedClassPrefixes())
              .containsExactly("com.example.model.", SpringClassesAdmission.NULL_VALUE,
                  SpringClassesAdmission.SIMPLE_KEY);
          assertThat(redis.codec().registrations()).containsEntry(100, Book.class.getName());
        });
  }

  @Test
  void anUnknownPropertyStopsStartupNamingIt() {
    runner.withPropertyValues("layercache.caches.books.memory.maximum-sise=10").run(context ->
        assertThat(configurationFailure(context))
            .hasMessageContaining("layercache.caches.books.memory.maximum-sise: unknown setting")
            .hasMessageContaining("property 'layercache.caches.books.memory.maximum-sise'"));
    runner.withPropertyValues("layercache.defaults.statistics=true").run(context ->
        assertThat(configurationFailure(context))
            .hasMessageContaining("Unknown LayerCache property 'layercache.defaults.statistics'"));
  }

  @Test
  void aMalformedValueOrAMissingFileStopsStartupNamingTheSetting() {
    runner.withPropertyValues("layercache.default.memory.maximum-size=lots").run(context ->
        assertThat(configurationFailure(context)).hasMessageContaining("layercache.default.memory.maximum-size"));
    runner.withPropertyValues("layercache.config=classpath:no-such.conf").run(context ->
        assertThat(configurationFailure(context))
            .hasMessageContaining("layercache.config = classpath:no-such.conf: no such file"));
  }

  @Test
  void eachContextHasItsOwnCacheManagerClosedWithIt() {
    javax.cache.CacheManager[] managers = new javax.cache.CacheManager[2];
    runner.run(first -> runner.run(second -> {
      managers[0] = first.getBean(javax.cache.CacheManager.class);
      managers[1] = second.getBean(javax.cache.CacheManager.class);
      assertThat(managers[0].getURI()).isNotEqualTo(managers[1].getURI());
    }));
    assertThat(managers).allSatisfy(manager -> assertThat(manager.isClosed()).isTrue());
  }

  @Test
  void environmentVariablesAreLeftToPlaceholdersAndHoconSubstitutions() {
    runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                "LAYERCACHE_BUS_SECRET", "meant for ${?LAYERCACHE_BUS_SECRET} in a file",
                "BOOKS_SIZE", "42"))))
        .withPropertyValues("layercache.caches.books.memory.maximum-size=${BOOKS_SIZE}")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(configuration(context.getBean(javax.cache.CacheManager.class), "books").getLayers())
              .containsExactly(MemoryLayerSpec.ofMaximumSize(42));
        });
  }

  @Test
  void everyCacheReachesTheBindersIncludingOnesCreatedLaterFromTheTemplate() {
    List<String> bound = java.util.Collections.synchronizedList(new ArrayList<>());
    runner.withPropertyValues("spring.cache.cache-names=listed", "layercache.caches.declared.statistics=true")
        .withBean(LayerCacheBinder.class, () -> cache -> bound.add(cache.getName()))
        .run(context -> {
          assertThat(bound).containsExactlyInAnyOrder("listed", "declared");

          context.getBean(CacheManager.class).getCache("later");

          assertThat(bound).containsExactlyInAnyOrder("listed", "declared", "later");
        });
  }

  @Test
  void anotherCacheTypeLeavesLayerCacheOut() {
    runner.withPropertyValues("spring.cache.type=simple").run(context -> {
      assertThat(context).doesNotHaveBean(LayerCacheSettings.class);
      assertThat(context).doesNotHaveBean(javax.cache.CacheManager.class);
    });
  }

  private static Throwable configurationFailure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      if (t instanceof LayerCacheConfigurationException) {
        return t;
      }
    }
    throw new AssertionError("no LayerCacheConfigurationException in", context.getStartupFailure());
  }

  private static LayerCacheConfiguration<?, ?> configuration(javax.cache.CacheManager manager, String name) {
    return manager.getCache(name).getConfiguration(LayerCacheConfiguration.class);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class CachingOn {
  }

  /** A value class for codec registrations. */
  record Book(String title) {}

}
