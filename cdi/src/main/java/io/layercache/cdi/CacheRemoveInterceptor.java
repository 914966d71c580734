package io.layercache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.annotation.CacheRemove;

/**
 * {@code @CacheRemove}: remove the entry of the key made of the arguments (or the
 * {@code @CacheKey} ones), after the call by default; if the call throws, only when the exception
 * passes {@code evictFor} / {@code noEvictFor} (both empty: never). {@code afterInvocation =
 * false}: before the call.
 */
@CacheRemove
@Interceptor
@Priority(CacheResultInterceptor.PRIORITY + 2)
public class CacheRemoveInterceptor {

  @Inject
  CacheMethods methods;

  /** Calls the method and removes the entry, before or after as the annotation says. */
  @AroundInvoke
  public Object cacheRemove(InvocationContext invocation) throws Exception {
    CacheMethod<CacheRemove> method = methods.of(invocation, CacheRemove.class);
    KeyInvocationContext<CacheRemove> context = method.context(invocation.getTarget(), invocation.getParameters());
    CacheRemove annotation = method.annotation();
    return Invocations.around(invocation, annotation.afterInvocation(), annotation.evictFor(), annotation.noEvictFor(),
        () -> method.cache(context).remove(method.key(context)));
  }
}
