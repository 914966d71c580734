package io.layercache.spring.boot;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;

/**
 * Spring's JCache cache manager over a LayerCache cache manager, with one rule added: a cache name
 * nobody declared (not under {@code layercache.caches}, not in {@code spring.cache.cache-names})
 * is created from the {@code layercache.default} template on first use, instead of failing with
 * Spring's "Cannot find cache named ...".
 *
 * <ul>
 *   <li>Why: annotations name caches freely ({@code @Cacheable("books")}, and JSR-107's
 *       {@code @CacheResult} without a name uses the method's signature); declaring each one only
 *       to give it the defaults would be busywork.
 *   <li>Creation is serialized per manager, so concurrent first uses create one cache.
 *   <li>Each cache is a {@link LayerCacheSpringCache}: {@code @Cacheable(sync = true)} loads
 *       through LayerCache's loading path (fail-safe, single-flight, stale-while-revalidate).
 *   <li>Everything else (null values, transaction awareness, customizers) is Spring's.
 * </ul>
 */
public class LayerCacheCacheManager extends JCacheCacheManager {

  private static final Logger LOG = LoggerFactory.getLogger(LayerCacheCacheManager.class);

  private final LayerCacheConfiguration<Object, Object> template;
  private final LayerCacheBinder binder;

  /**
   * @param cacheManager the LayerCache JCache manager
   * @param template     the template of undeclared caches, {@code layercache.default}
   * @param binder       called with each cache this manager creates from the template
   */
  public LayerCacheCacheManager(javax.cache.CacheManager cacheManager, LayerCacheConfiguration<Object, Object> template,
      LayerCacheBinder binder) {
    super(cacheManager);
    this.template = Objects.requireNonNull(template, "template");
    this.binder = Objects.requireNonNull(binder, "binder");
  }

  @Override
  protected Cache getMissingCache(String name) {
    javax.cache.CacheManager cacheManager = Objects.requireNonNull(getCacheManager(), "cacheManager");
    javax.cache.Cache<Object, Object> cache = cacheManager.getCache(name);
    return adapt(cache != null ? cache : createFromTemplate(cacheManager, name));
  }

  @Override
  protected Collection<Cache> loadCaches() {
    javax.cache.CacheManager cacheManager = Objects.requireNonNull(getCacheManager(), "cacheManager");
    List<Cache> caches = new ArrayList<>();
    for (String name : cacheManager.getCacheNames()) {
      caches.add(adapt(cacheManager.getCache(name)));
    }
    return caches;
  }

  /** LayerCache's caches get {@link LayerCacheSpringCache}; any other JCache cache Spring's adapter. */
  private Cache adapt(javax.cache.Cache<Object, Object> cache) {
    try {
      cache.unwrap(LayerCache.class);
    } catch (IllegalArgumentException notLayerCache) {
      return new JCacheCache(cache, isAllowNullValues());
    }
    return new LayerCacheSpringCache(cache, isAllowNullValues());
  }

  private synchronized javax.cache.Cache<Object, Object> createFromTemplate(javax.cache.CacheManager cacheManager,
      String name) {
    javax.cache.Cache<Object, Object> existing = cacheManager.getCache(name);
    if (existing != null) {
      return existing;
    }
    LOG.info("cacheManager={} cache={} is not declared under layercache.caches: created from layercache.default",
        cacheManager.getURI(), name);
    javax.cache.Cache<Object, Object> created = cacheManager.createCache(name, template);
    binder.bind(created);
    return created;
  }
}
