package io.layercache.cdi;

import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.MetaAnnotations;
import jakarta.enterprise.util.Nonbinding;
import java.lang.annotation.Annotation;
import java.util.List;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Makes the JSR-107 annotations interceptor bindings, so that the interceptors of this package
 * apply to the methods (and classes) that carry them.
 *
 * <p>{@code javax.cache.annotation}'s annotations are plain annotations: {@code cache-api} depends
 * on no CDI API. A CDI Lite extension is the one way to declare them bindings that both Weld (SE
 * and EE) and Quarkus ArC read; ArC runs no portable extensions. Every member (cache name,
 * exception filters...) is made {@code @Nonbinding}: the interceptors read the values from the
 * method, so one interceptor serves every combination of them.
 */
public final class JCacheAnnotationsExtension implements BuildCompatibleExtension {

  /** The annotations that trigger an interceptor; {@code @CacheDefaults} only supplies defaults. */
  static final List<Class<? extends Annotation>> BINDINGS =
      List.of(CacheResult.class, CachePut.class, CacheRemove.class, CacheRemoveAll.class);

  /** Called by the container during discovery. */
  @Discovery
  public void registerInterceptorBindings(MetaAnnotations meta) {
    for (Class<? extends Annotation> binding : BINDINGS) {
      meta.addInterceptorBinding(binding).methods().forEach(member -> member.addAnnotation(Nonbinding.class));
    }
  }
}
