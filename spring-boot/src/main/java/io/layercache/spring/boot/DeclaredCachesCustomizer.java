package io.layercache.spring.boot;

import javax.cache.CacheManager;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.core.Ordered;

/**
 * Creates the caches declared under {@code layercache.caches} in the JCache cache manager, each
 * with its own settings over the default template.
 *
 * <p>Runs before every other {@link JCacheManagerCustomizer} (highest precedence), so an
 * application's own customizers already see the declared caches. A cache that already exists
 * (created by an earlier customizer or by hand) is left alone.
 */
public final class DeclaredCachesCustomizer implements JCacheManagerCustomizer, Ordered {

  private final LayerCacheSettings settings;

  /** @param settings the application's LayerCache settings */
  public DeclaredCachesCustomizer(LayerCacheSettings settings) {
    this.settings = settings;
  }

  @Override
  public void customize(CacheManager cacheManager) {
    settings.declaredCaches().forEach((name, configuration) -> {
      if (cacheManager.getCache(name) == null) {
        cacheManager.createCache(name, configuration);
      }
    });
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
