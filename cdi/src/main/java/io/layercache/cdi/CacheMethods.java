package io.layercache.cdi;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes each annotated method once ({@link CacheMethod}) for the interceptors, and holds the
 * cache manager their caches come from: the application's {@code CacheManager} bean when it has
 * one, otherwise LayerCache's default cache manager ({@code application.conf}), which this bean
 * opens on first use and closes with the container.
 *
 * <p>Internal to the interceptors; public only because CDI beans must be.
 */
@ApplicationScoped
public class CacheMethods {

  /** Named by class: with Redisson on the class path there are two JCache providers. */
  static final String LAYERCACHE_PROVIDER = "io.layercache.jcache.LayerCachingProvider";

  private static final Logger LOG = LoggerFactory.getLogger(CacheMethods.class);

  @Inject
  Instance<CacheManager> managers;

  private final ConcurrentMap<MethodKey, CacheMethod<?>> methods = new ConcurrentHashMap<>();
  private CacheManager manager;
  private CacheManager opened;

  /** The description of the intercepted method for the annotation {@code kind}. */
  @SuppressWarnings("unchecked")
  public <A extends Annotation> CacheMethod<A> of(InvocationContext invocation, Class<A> kind) {
    Class<?> beanClass = invocation.getTarget().getClass();
    MethodKey key = new MethodKey(beanClass, invocation.getMethod(), kind);
    return (CacheMethod<A>) methods.computeIfAbsent(key, k -> describe(k.beanClass(), k.method(), kind));
  }

  @PreDestroy
  synchronized void closeOpenedManager() {
    if (opened != null) {
      opened.close();
    }
  }

  private <A extends Annotation> CacheMethod<A> describe(Class<?> beanClass, Method method, Class<A> kind) {
    A annotation = method.isAnnotationPresent(kind) ? method.getAnnotation(kind) : onClass(beanClass, kind);
    if (annotation == null) {
      throw new IllegalStateException(method + " was intercepted for @" + kind.getSimpleName() + " but carries none");
    }
    CacheDefaults defaults = onClass(beanClass, CacheDefaults.class);
    AnnotationSettings settings = AnnotationSettings.of(annotation)
        .over(defaults == null ? AnnotationSettings.NONE : AnnotationSettings.of(defaults));
    String cacheName = settings.cacheName().isEmpty() ? defaultCacheName(method) : settings.cacheName();
    MethodDetails<A> details = new MethodDetails<>(method, annotation, cacheName);
    CacheResolverFactory factory = resolverFactory(settings.resolverFactory(), method);
    CacheResolver exceptionResolver = annotation instanceof CacheResult result && !result.exceptionCacheName().isEmpty()
        ? factory.getExceptionCacheResolver(new MethodDetails<>(method, result, cacheName))
        : null;
    return new CacheMethod<>(details, factory.getCacheResolver(details), exceptionResolver,
        keyGenerator(settings.keyGenerator(), method), keyPositions(method), valuePosition(method, kind));
  }

  /** The JSR-107 default: {@code package.Class.method(package.ParameterType,package.ParameterType)}. */
  static String defaultCacheName(Method method) {
    return method.getDeclaringClass().getName() + "." + method.getName()
        + Arrays.stream(method.getParameterTypes()).map(Class::getName).collect(Collectors.joining(",", "(", ")"));
  }

  /** The {@code @CacheKey} parameters, or, when none is marked, all but the {@code @CacheValue} one. */
  static int[] keyPositions(Method method) {
    Annotation[][] annotations = method.getParameterAnnotations();
    int[] marked = IntStream.range(0, annotations.length).filter(i -> has(annotations[i], CacheKey.class)).toArray();
    return marked.length > 0
        ? marked
        : IntStream.range(0, annotations.length).filter(i -> !has(annotations[i], CacheValue.class)).toArray();
  }

  private static int valuePosition(Method method, Class<? extends Annotation> kind) {
    Annotation[][] annotations = method.getParameterAnnotations();
    int[] values = IntStream.range(0, annotations.length).filter(i -> has(annotations[i], CacheValue.class)).toArray();
    if (kind == CachePut.class && values.length != 1) {
      throw new IllegalStateException("@CachePut method " + method + " needs exactly one @CacheValue parameter, has "
          + values.length);
    }
    return values.length == 1 ? values[0] : -1;
  }

  private CacheResolverFactory resolverFactory(Class<? extends CacheResolverFactory> type, Method method) {
    return type == CacheResolverFactory.class ? new ManagerCacheResolverFactory(manager()) : instance(type, method);
  }

  private CacheKeyGenerator keyGenerator(Class<? extends CacheKeyGenerator> type, Method method) {
    return type == CacheKeyGenerator.class ? DefaultKeyGenerator.INSTANCE : instance(type, method);
  }

  /** A CDI bean of that type if there is exactly one, else a new instance from its no-argument constructor. */
  private static <T> T instance(Class<T> type, Method method) {
    Instance<T> bean = CDI.current().select(type);
    if (bean.isResolvable()) {
      return bean.get();
    }
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(type.getName() + ", named by the cache annotations of " + method
          + ", is not a CDI bean and cannot be created with a public no-argument constructor", e);
    }
  }

  private synchronized CacheManager manager() {
    if (manager == null) {
      if (managers.isAmbiguous()) {
        throw new IllegalStateException("Several CacheManager beans: the JSR-107 cache interceptors need one, "
            + "or none to use LayerCache's default cache manager");
      }
      if (managers.isResolvable()) {
        manager = managers.get();
      } else {
        opened = Caching.getCachingProvider(LAYERCACHE_PROVIDER).getCacheManager();
        manager = opened;
        LOG.info("No CacheManager bean: the JSR-107 cache annotations use LayerCache's default cache manager {}",
            opened.getURI());
      }
    }
    return manager;
  }

  private static <A extends Annotation> A onClass(Class<?> type, Class<A> kind) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      A found = c.getDeclaredAnnotation(kind);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static boolean has(Annotation[] annotations, Class<? extends Annotation> type) {
    return Arrays.stream(annotations).anyMatch(type::isInstance);
  }

  private record MethodKey(Class<?> beanClass, Method method, Class<? extends Annotation> kind) {}
}
