package io.layercache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.annotation.CacheRemoveAll;

/**
 * {@code @CacheRemoveAll}: {@code Cache.removeAll()} on the method's cache, after the call by
 * default; if the call throws, only when the exception passes {@code evictFor} /
 * {@code noEvictFor} (both empty: never). {@code afterInvocation = false}: before the call.
 */
@CacheRemoveAll
@Interceptor
@Priority(CacheResultInterceptor.PRIORITY + 3)
public class CacheRemoveAllInterceptor {

  @Inject
  CacheMethods methods;

  /** Calls the method and empties the cache, before or after as the annotation says. */
  @AroundInvoke
  public Object cacheRemoveAll(InvocationContext invocation) throws Exception {
    CacheMethod<CacheRemoveAll> method = methods.of(invocation, CacheRemoveAll.class);
    KeyInvocationContext<CacheRemoveAll> context = method.context(invocation.getTarget(), invocation.getParameters());
    CacheRemoveAll annotation = method.annotation();
    return Invocations.around(invocation, annotation.afterInvocation(), annotation.evictFor(), annotation.noEvictFor(),
        () -> method.cache(context).removeAll());
  }
}
