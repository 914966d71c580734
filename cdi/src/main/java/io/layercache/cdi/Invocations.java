package io.layercache.cdi;

import jakarta.interceptor.InvocationContext;

/**
 * The shared shape of {@code @CachePut}, {@code @CacheRemove} and {@code @CacheRemoveAll}: a
 * cache action before the call ({@code afterInvocation = false}), or after it, where a call that
 * throws still gets the action when the exception passes the annotation's filter.
 */
final class Invocations {

  private Invocations() {}

  static Object around(InvocationContext invocation, boolean afterInvocation, Class<? extends Throwable>[] actOn,
      Class<? extends Throwable>[] doNotActOn, Runnable action) throws Exception {
    if (!afterInvocation) {
      action.run();
      return invocation.proceed();
    }
    Object result;
    try {
      result = invocation.proceed();
    } catch (Exception e) {
      if (ExceptionFilter.matches(e, actOn, doNotActOn, false)) {
        action.run();
      }
      throw e;
    }
    action.run();
    return result;
  }
}
