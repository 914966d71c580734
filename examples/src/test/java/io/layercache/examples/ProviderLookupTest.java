package io.layercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A project depending on layercache-redis (which carries Redisson) still finds exactly one JCache
 * provider, so the no-argument {@code Caching.getCachingProvider()} works, and a configuration
 * file can put Redis under every cache.
 */
@ExtendWith(RedisServerExtension.class)
class ProviderLookupTest {

  @Test
  void theNoArgumentLookupFindsLayerCacheAlongsideTheRedisModule() {
    assertThat(System.getProperty("javax.cache.spi.CachingProvider")).isNull();
    assertThat(Caching.getCachingProviders()).hasSize(1);
    assertThat(Caching.getCachingProvider()).isInstanceOf(LayerCachingProvider.class);
  }

  @Test
  void aConfigFileCanStackRedisUnderEveryCache(RedisServer redis) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("layercache", ".conf");
    java.nio.file.Files.writeString(file, "layercache.default { layers = [memory, redis], redis.address = \""
        + redis.uri() + "\" }");
    CachingProvider provider = Caching.getCachingProvider();
    try (CacheManager manager = provider.getCacheManager(file.toUri(), getClass().getClassLoader())) {
      Cache<String, String> cache = manager.createCache("users", new javax.cache.configuration.MutableConfiguration<>());
      cache.put("k", "v");
      @SuppressWarnings("unchecked")
      LayerCache<String, String> layered = cache.unwrap(LayerCache.class);
      assertThat(layered.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory", "redis");
      assertThat(redis.command("EXISTS", "lc:users:e:{sk}")).isEqualTo(1L);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
