package io.layercache.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.codec.CodecSettings;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.support.NullValue;

/**
 * Spring's cache abstraction stores a cached {@code null} as {@code NullValue.INSTANCE}, a
 * singleton that keeps its identity through Java serialization with {@code readResolve}. A
 * store-by-value copy must keep it too: code comparing a cached value with the instance
 * ({@code ==}) would otherwise see a second {@code NullValue}. Spring 7's {@code JCacheCache}
 * itself tests with {@code instanceof}, so both levels are checked here.
 */
@ExtendWith(RedisServerExtension.class)
class SpringNullValueIT {

  private final RedisServer redis;
  private final List<CacheManager> managers = new ArrayList<>();

  SpringNullValueIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeInstances() {
    managers.forEach(CacheManager::close);
  }

  @Test
  void aCachedNullComesBackAsNullFromAStoreByValueCache() {
    Cache<Object, Object> users = instance().createCache("users", new MutableConfiguration<>());
    JCacheCache spring = new JCacheCache(users, true);

    spring.put("ghost", null);
    ValueWrapper hit = spring.get("ghost");

    assertThat(users.getConfiguration(MutableConfiguration.class).isStoreByValue()).isTrue();
    assertThat(hit).isNotNull();
    assertThat(hit.get()).isNull();
    assertThat(users.get("ghost")).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void aCachedNullReadBackFromRedisByAnotherInstanceIsStillNull() {
    LayerCacheConfiguration<Object, Object> config = new LayerCacheConfiguration<>().setStatisticsEnabled(true)
        .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(redis.uri())
            .withNamespace("spring-" + UUID.randomUUID())
            .withCodec(CodecSettings.defaults().withAllowedClassPrefixes("org.springframework.cache.support.")));
    Cache<Object, Object> onA = instance().createCache("users", config);
    Cache<Object, Object> onB = instance().createCache("users", config);

    new JCacheCache(onA, true).put("ghost", null);
    ValueWrapper hit = new JCacheCache(onB, true).get("ghost");

    assertThat(hit).isNotNull();
    assertThat(hit.get()).isNull();
    assertThat(onB.get("ghost")).isSameAs(NullValue.INSTANCE);
    assertThat(((LayerCache<?, ?>) onB.unwrap(LayerCache.class)).layerStatistics().get(1).hits()).isEqualTo(1);
  }

  private CacheManager instance() {
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("spring-it:" + UUID.randomUUID()), getClass().getClassLoader());
    managers.add(manager);
    return manager;
  }
}
