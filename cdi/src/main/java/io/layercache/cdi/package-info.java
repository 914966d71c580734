/**
 * The JSR-107 caching annotations ({@code javax.cache.annotation}: {@code @CacheResult},
 * {@code @CachePut}, {@code @CacheRemove}, {@code @CacheRemoveAll}, {@code @CacheDefaults},
 * {@code @CacheKey}, {@code @CacheValue}) on Jakarta CDI 4 containers, Weld and Quarkus ArC.
 *
 * <p>The JSR-107 reference interceptors target {@code javax.enterprise} and {@code javax.interceptor},
 * which Jakarta CDI containers do not read. This package is their Jakarta replacement:
 * {@link io.layercache.cdi.JCacheAnnotationsExtension}, a build-compatible (CDI Lite) extension,
 * makes the four annotations interceptor bindings, and one small interceptor serves each. The
 * caches come from the application's {@code CacheManager} bean, or LayerCache's default cache
 * manager when the application produces none.
 */
package io.layercache.cdi;
