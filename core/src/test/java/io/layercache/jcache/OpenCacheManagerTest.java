package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercache.config.CacheTemplates;
import io.layercache.config.ConfigFileReader;
import java.net.URI;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;

/** A framework that reads its own settings hands the provider templates under a URI it chooses. */
class OpenCacheManagerTest {

  private final ClassLoader loader = getClass().getClassLoader();
  private final LayerCachingProvider provider =
      (LayerCachingProvider) Caching.getCachingProvider(LayerCachingProvider.class.getName(), loader);

  private CacheTemplates templates(String hocon) {
    Config reference = ConfigFactory.defaultReference(loader);
    Config config = ConfigFactory.parseString(hocon).withFallback(reference).resolve();
    return ConfigFileReader.templates(config, reference, loader);
  }

  @Test
  void aManagerOpenedWithTemplatesHasTheirCachesAndIsFoundByItsUri() {
    URI uri = URI.create("framework:" + UUID.randomUUID());
    CacheManager manager = provider.openCacheManager(uri, loader, templates("layercache.caches.orders {}"));
    try {
      assertThat(manager.getCacheNames()).containsExactly("orders");
      assertThat(provider.getCacheManager(uri, loader)).isSameAs(manager);
    } finally {
      manager.close();
    }
  }

  @Test
  void aSecondOpenOfAnOpenUriIsRefusedAndAClosedOneMayBeReopened() {
    URI uri = URI.create("framework:" + UUID.randomUUID());
    CacheManager first = provider.openCacheManager(uri, loader, templates(""));

    assertThatThrownBy(() -> provider.openCacheManager(uri, loader, templates("")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(uri + " is already open");

    first.close();
    CacheManager second = provider.openCacheManager(uri, loader, templates(""));
    assertThat(second).isNotSameAs(first);
    second.close();
  }
}
