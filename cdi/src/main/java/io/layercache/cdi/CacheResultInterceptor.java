package io.layercache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.Cache;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@code @CacheResult}: return the cached value for the key; otherwise call the method and cache
 * a non-null result.
 *
 * <ul>
 *   <li>{@code skipGet = true}: always call the method, and cache its result.</li>
 *   <li>With an {@code exceptionCacheName}, an exception that passes {@code cachedExceptions} /
 *       {@code nonCachedExceptions} (both empty: every exception) is cached under the same key and
 *       rethrown by later calls instead of calling the method.</li>
 *   <li>A {@code null} result is not cached (JCache holds no nulls): the next call runs again.</li>
 *   <li>Two concurrent first calls may both run the method; the cache is not locked around it.</li>
 * </ul>
 */
@CacheResult
@Interceptor
@Priority(CacheResultInterceptor.PRIORITY)
public class CacheResultInterceptor {

  /**
   * Before {@code @Transactional} (platform-before + 200), so that a cache hit opens no
   * transaction; the other three annotations' interceptors follow in order.
   */
  static final int PRIORITY = Interceptor.Priority.PLATFORM_BEFORE + 100;

  @Inject
  CacheMethods methods;

  /** Serves the call from the cache, or calls the method and caches what it returns. */
  @AroundInvoke
  public Object cacheResult(InvocationContext invocation) throws Exception {
    CacheMethod<CacheResult> method = methods.of(invocation, CacheResult.class);
    KeyInvocationContext<CacheResult> context = method.context(invocation.getTarget(), invocation.getParameters());
    CacheResult annotation = method.annotation();
    Cache<Object, Object> cache = method.cache(context);
    Cache<Object, Object> exceptions = method.exceptionCache(context);
    GeneratedCacheKey key = method.key(context);
    if (!annotation.skipGet()) {
      Object hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
      rethrowCached(exceptions, key);
    }
    Object result;
    try {
      result = invocation.proceed();
    } catch (Exception e) {
      if (exceptions != null
          && ExceptionFilter.matches(e, annotation.cachedExceptions(), annotation.nonCachedExceptions(), true)) {
        exceptions.put(key, e);
      }
      throw e;
    }
    if (result != null) {
      cache.put(key, result);
    }
    return result;
  }

  private static void rethrowCached(Cache<Object, Object> exceptions, GeneratedCacheKey key) throws Exception {
    if (exceptions != null && exceptions.get(key) instanceof Exception cached) {
      throw cached;
    }
  }
}
