package io.layercache.spring.boot;

import io.layercache.LayerCache;
import java.util.concurrent.Callable;
import javax.cache.integration.CacheLoaderException;
import org.springframework.cache.jcache.JCacheCache;

/**
 * Spring's view of one LayerCache cache: Spring's {@link JCacheCache}, except that a synchronized
 * load ({@code @Cacheable(sync = true)}, {@code Cache.get(key, valueLoader)}) runs through
 * {@link LayerCache#get(Object, io.layercache.Loader)}.
 *
 * <ul>
 *   <li>Why: that is LayerCache's loading path, so the cache's fail-safe, soft and hard timeouts,
 *       stale-while-revalidate, refresh-ahead and distributed single-flight apply to annotated
 *       methods as they do to code calling LayerCache directly; Spring's own JCache adapter would
 *       use an entry processor and bypass them.
 *   <li>Concurrent callers of one missing key share one call of the method.
 *   <li>A {@code null} result is cached as Spring's {@code NullValue} when the cache manager allows
 *       null values (Spring's default), as with any Spring cache.
 *   <li>The method's own exception reaches the caller (Spring unwraps
 *       {@link org.springframework.cache.Cache.ValueRetrievalException}); nothing is cached.
 * </ul>
 */
public class LayerCacheSpringCache extends JCacheCache {

  private final LayerCache<Object, Object> layerCache;

  /**
   * @param cache           a cache of a LayerCache cache manager
   * @param allowNullValues whether {@code null} results are cached (as {@code NullValue})
   */
  @SuppressWarnings("unchecked")
  public LayerCacheSpringCache(javax.cache.Cache<Object, Object> cache, boolean allowNullValues) {
    super(cache, allowNullValues);
    this.layerCache = cache.unwrap(LayerCache.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    try {
      return (T) fromStoreValue(layerCache.get(key, k -> toStoreValue(valueLoader.call())));
    } catch (CacheLoaderException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ValueRetrievalException(key, valueLoader, cause);
    }
  }
}
