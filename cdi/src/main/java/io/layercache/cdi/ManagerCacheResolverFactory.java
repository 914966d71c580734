package io.layercache.cdi;

import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSR-107 default resolver factory over one cache manager: a cache is looked up by name and,
 * when the manager has none of that name, created with a plain {@code MutableConfiguration}. On
 * LayerCache such a cache takes the {@code layercache.default} settings; a cache declared in
 * {@code layercache.caches} exists from the start and is used as declared.
 */
final class ManagerCacheResolverFactory implements CacheResolverFactory {

  private static final Logger LOG = LoggerFactory.getLogger(ManagerCacheResolverFactory.class);

  private final CacheManager manager;

  ManagerCacheResolverFactory(CacheManager manager) {
    this.manager = manager;
  }

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
    return new Named(details.getCacheName());
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
    return new Named(details.getCacheAnnotation().exceptionCacheName());
  }

  /** Resolves one name on every call, so a cache destroyed and recreated is found again. */
  private final class Named implements CacheResolver {

    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
      Cache<K, V> cache = manager.getCache(name);
      return cache != null ? cache : create();
    }

    private <K, V> Cache<K, V> create() {
      try {
        Cache<K, V> created = manager.createCache(name, new MutableConfiguration<>());
        LOG.info("Created cache '{}' for the JSR-107 annotations with the cache manager's defaults "
            + "(declare it in the configuration to set it up)", name);
        return created;
      } catch (CacheException raced) {
        Cache<K, V> other = manager.getCache(name);
        if (other == null) {
          throw raced;
        }
        return other;
      }
    }
  }
}
