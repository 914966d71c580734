package io.layercache.spring.boot;

import javax.cache.Cache;

/**
 * Attaches something to every cache of the starter's cache manager: the declared caches, those of
 * {@code spring.cache.cache-names}, and each cache later created from the default template on
 * first use. Declare one as a bean; the auto-configuration calls every such bean.
 *
 * <ul>
 *   <li>Why: the JCache manager has no creation callback, so metrics (the extension point for
 *       the {@code layercache-micrometer} module's meter binder), audit or warm-up code could
 *       otherwise miss caches created after startup.
 *   <li>Not called for caches that code creates directly on the {@code javax.cache.CacheManager}.
 *   <li>Called once per cache, on the thread that created it; a binder that throws fails that
 *       cache's creation (at startup: the application's).
 * </ul>
 */
@FunctionalInterface
public interface LayerCacheBinder {

  /** Attaches to one cache of the starter's cache manager. */
  void bind(Cache<Object, Object> cache);
}
