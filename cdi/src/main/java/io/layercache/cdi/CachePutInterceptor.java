package io.layercache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.Cache;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@code @CachePut}: store the {@code @CacheValue} argument under the key made of the other
 * arguments (or the {@code @CacheKey} ones).
 *
 * <ul>
 *   <li>After the call by default; if the call throws, only when the exception passes
 *       {@code cacheFor} / {@code noCacheFor} (both empty: never).</li>
 *   <li>{@code afterInvocation = false}: before the call, whatever it then does.</li>
 *   <li>A {@code null} value removes the key's entry, since JCache holds no nulls: a later
 *       {@code @CacheResult} call then asks the method instead of serving the old value.</li>
 * </ul>
 */
@CachePut
@Interceptor
@Priority(CacheResultInterceptor.PRIORITY + 1)
public class CachePutInterceptor {

  @Inject
  CacheMethods methods;

  /** Calls the method and stores the value, before or after as the annotation says. */
  @AroundInvoke
  public Object cachePut(InvocationContext invocation) throws Exception {
    CacheMethod<CachePut> method = methods.of(invocation, CachePut.class);
    KeyInvocationContext<CachePut> context = method.context(invocation.getTarget(), invocation.getParameters());
    CachePut annotation = method.annotation();
    return Invocations.around(invocation, annotation.afterInvocation(), annotation.cacheFor(), annotation.noCacheFor(),
        () -> put(method.cache(context), method.key(context), context.getValueParameter().getValue()));
  }

  private static void put(Cache<Object, Object> cache, GeneratedCacheKey key, Object value) {
    if (value == null) {
      cache.remove(key);
    } else {
      cache.put(key, value);
    }
  }
}
