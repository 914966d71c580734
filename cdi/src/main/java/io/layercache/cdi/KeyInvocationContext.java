package io.layercache.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyInvocationContext;

/** One intercepted call, as cache resolvers and key generators see it. */
final class KeyInvocationContext<A extends Annotation> implements CacheKeyInvocationContext<A> {

  private final MethodDetails<A> details;
  private final Object target;
  private final CacheInvocationParameter[] all;
  private final CacheInvocationParameter[] keys;
  private final CacheInvocationParameter value;

  KeyInvocationContext(MethodDetails<A> details, Object target, CacheInvocationParameter[] all,
      CacheInvocationParameter[] keys, CacheInvocationParameter value) {
    this.details = details;
    this.target = target;
    this.all = all;
    this.keys = keys;
    this.value = value;
  }

  @Override
  public Object getTarget() {
    return target;
  }

  @Override
  public CacheInvocationParameter[] getAllParameters() {
    return all.clone();
  }

  @Override
  public CacheInvocationParameter[] getKeyParameters() {
    return keys.clone();
  }

  /** The {@code @CacheValue} parameter; {@code null} on methods without one. */
  @Override
  public CacheInvocationParameter getValueParameter() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("Cannot unwrap a cache invocation context to " + type.getName());
  }

  @Override
  public Method getMethod() {
    return details.getMethod();
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return details.getAnnotations();
  }

  @Override
  public A getCacheAnnotation() {
    return details.getCacheAnnotation();
  }

  @Override
  public String getCacheName() {
    return details.getCacheName();
  }
}
