package io.layercache.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * Everything about one annotated method that does not change from call to call: its annotation,
 * cache name, resolvers, key generator, and which parameters make the key. Built once per method
 * by {@link CacheMethods}.
 */
final class CacheMethod<A extends Annotation> {

  private final MethodDetails<A> details;
  private final CacheResolver cacheResolver;
  private final CacheResolver exceptionCacheResolver;
  private final CacheKeyGenerator keyGenerator;
  private final Class<?>[] types;
  private final Set<Annotation>[] parameterAnnotations;
  private final int[] keyPositions;
  private final int valuePosition;

  CacheMethod(MethodDetails<A> details, CacheResolver cacheResolver, CacheResolver exceptionCacheResolver,
      CacheKeyGenerator keyGenerator, int[] keyPositions, int valuePosition) {
    this.details = details;
    this.cacheResolver = cacheResolver;
    this.exceptionCacheResolver = exceptionCacheResolver;
    this.keyGenerator = keyGenerator;
    Method method = details.getMethod();
    this.types = method.getParameterTypes();
    this.parameterAnnotations = annotationSets(method);
    this.keyPositions = keyPositions.clone();
    this.valuePosition = valuePosition;
  }

  A annotation() {
    return details.getCacheAnnotation();
  }

  /** The view of one call that resolvers and key generators get. */
  KeyInvocationContext<A> context(Object target, Object[] arguments) {
    CacheInvocationParameter[] all = new CacheInvocationParameter[types.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = new InvocationParameter(types[i], arguments[i], parameterAnnotations[i], i);
    }
    CacheInvocationParameter[] keys = Arrays.stream(keyPositions)
        .mapToObj(i -> all[i])
        .toArray(CacheInvocationParameter[]::new);
    return new KeyInvocationContext<>(details, target, all, keys, valuePosition < 0 ? null : all[valuePosition]);
  }

  Cache<Object, Object> cache(KeyInvocationContext<A> context) {
    return cacheResolver.resolveCache(context);
  }

  /** The exception cache of a {@code @CacheResult} with an {@code exceptionCacheName}, else {@code null}. */
  Cache<Object, Object> exceptionCache(KeyInvocationContext<A> context) {
    return exceptionCacheResolver == null ? null : exceptionCacheResolver.resolveCache(context);
  }

  GeneratedCacheKey key(KeyInvocationContext<A> context) {
    return keyGenerator.generateCacheKey(context);
  }

  @SuppressWarnings("unchecked")
  private static Set<Annotation>[] annotationSets(Method method) {
    return Arrays.stream(method.getParameterAnnotations())
        .map(annotations -> Set.copyOf(Arrays.asList(annotations)))
        .toArray(Set[]::new);
  }
}
