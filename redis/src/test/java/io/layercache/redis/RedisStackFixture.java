package io.layercache.redis;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.codec.CodecSettings;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testsupport.RedisServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;

/**
 * Cache managers standing for separate application instances: each has its own memory layer and
 * its own Redis client, and all share one real Redis.
 */
abstract class RedisStackFixture {

  private final List<CacheManager> managers = new ArrayList<>();

  /** A new "instance": a cache manager of its own. */
  protected CacheManager instance() {
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("instance:" + UUID.randomUUID()), getClass().getClassLoader());
    managers.add(manager);
    return manager;
  }

  /** An "instance" whose cache manager reads this configuration file. */
  protected CacheManager instance(java.nio.file.Path configFile) {
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(configFile.toUri(), getClass().getClassLoader());
    managers.add(manager);
    return manager;
  }

  /** The memory+Redis configuration of the tests. */
  protected static <K, V> LayerCacheConfiguration<K, V> memoryAndRedis(RedisServer redis) {
    return memoryAndRedis(RedisLayerSpec.of(redis.uri()).withCodec(CodecSettings.defaults()
        .withAllowedClassPrefixes("io.layercache.redis.")));
  }

  /** A memory+Redis configuration with this Redis layer, statistics on (so the layer counters count). */
  protected static <K, V> LayerCacheConfiguration<K, V> memoryAndRedis(RedisLayerSpec redisLayer) {
    return new LayerCacheConfiguration<K, V>().setLayers(MemoryLayerSpec.defaults(), redisLayer)
        .setStatisticsEnabled(true);
  }

  /** The same cache on every given instance. */
  protected static <K, V> List<Cache<K, V>> onEach(String name, LayerCacheConfiguration<K, V> config,
      CacheManager... instances) {
    List<Cache<K, V>> caches = new ArrayList<>();
    for (CacheManager instance : instances) {
      caches.add(instance.createCache(name, config));
    }
    return caches;
  }

  @SuppressWarnings("unchecked")
  protected static <K, V> LayerCache<K, V> layered(Cache<K, V> cache) {
    return cache.unwrap(LayerCache.class);
  }

  @AfterEach
  void closeInstances() {
    managers.forEach(CacheManager::close);
    managers.clear();
  }
}
