package io.layercache.benchmarks;

import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;

/**
 * The implementations compared, by the names used in {@code @Param("impl")} and on the command line.
 *
 * <p>Several JCache providers share the classpath, so {@link Caching#getCachingProvider()} (no
 * argument) would fail with "Multiple CachingProviders"; every provider is selected explicitly by
 * class name.
 */
public final class Impls {
  public static final String RAW_CAFFEINE = "raw-caffeine";
  /** Raw Caffeine with a maximumSize, like LayerCache's memory layer (hit benchmark only). */
  public static final String RAW_CAFFEINE_BOUNDED = "raw-caffeine-bounded";
  /**
   * raw-caffeine-bounded with {@code executor(Runnable::run)}: maintenance (read-buffer drains)
   * runs on the reading thread instead of ForkJoinPool.commonPool (hit benchmark only, not in the
   * default list).
   */
  public static final String RAW_CAFFEINE_BOUNDED_INLINE = "raw-caffeine-bounded-inline";
  public static final String CAFFEINE_JCACHE = "caffeine-jcache";
  /** Caffeine's JCache provider with a maximum size, like LayerCache's default memory layer (hit benchmark only). */
  public static final String CAFFEINE_JCACHE_BOUNDED = "caffeine-jcache-bounded";
  public static final String CACHE2K_JCACHE = "cache2k-jcache";
  public static final String EHCACHE_JCACHE = "ehcache-jcache";
  public static final String LAYERCACHE = "layercache";
  /** LayerCache with an unbounded memory layer, like the unbounded JCache providers. */
  public static final String LAYERCACHE_UNBOUNDED = "layercache-unbounded";

  /** Display order (the first one is the ratio baseline). */
  public static final List<String> ORDER =
      List.of(RAW_CAFFEINE, CAFFEINE_JCACHE, CACHE2K_JCACHE, EHCACHE_JCACHE, LAYERCACHE);

  /** Display order of the hit benchmark's tables (the first one is the ratio baseline). */
  public static final List<String> HIT_ORDER =
      List.of(
          RAW_CAFFEINE,
          RAW_CAFFEINE_BOUNDED,
          RAW_CAFFEINE_BOUNDED_INLINE,
          CAFFEINE_JCACHE,
          CAFFEINE_JCACHE_BOUNDED,
          CACHE2K_JCACHE,
          EHCACHE_JCACHE,
          LAYERCACHE,
          LAYERCACHE_UNBOUNDED);

  public static final String CAFFEINE_PROVIDER =
      "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
  public static final String CACHE2K_PROVIDER = "org.cache2k.jcache.provider.JCacheProvider";
  public static final String EHCACHE_PROVIDER = "org.ehcache.jsr107.EhcacheCachingProvider";
  public static final String LAYERCACHE_PROVIDER = "io.layercache.jcache.LayerCachingProvider";

  private Impls() {}

  /** The JCache provider class for a JCache impl name; fails for raw-caffeine or unknown names. */
  public static String providerClass(String impl) {
    switch (impl) {
      case CAFFEINE_JCACHE:
      case CAFFEINE_JCACHE_BOUNDED:
        return CAFFEINE_PROVIDER;
      case CACHE2K_JCACHE:
        return CACHE2K_PROVIDER;
      case EHCACHE_JCACHE:
        return EHCACHE_PROVIDER;
      case LAYERCACHE:
      case LAYERCACHE_UNBOUNDED:
        return LAYERCACHE_PROVIDER;
      default:
        throw new IllegalArgumentException("not a JCache impl: " + impl + " (known: " + ORDER + ")");
    }
  }

  /** The (default) cache manager of the named provider, selected explicitly by class name. */
  public static CacheManager cacheManager(String impl) {
    CachingProvider provider = Caching.getCachingProvider(providerClass(impl));
    return provider.getCacheManager();
  }

  /** Creates (replacing any leftover of the same name) a JCache cache of the given impl. */
  public static <K, V> Cache<K, V> createCache(
      String impl, String name, Configuration<K, V> config) {
    CacheManager manager = cacheManager(impl);
    if (manager.getCache(name) != null) {
      manager.destroyCache(name);
    }
    return manager.createCache(name, config);
  }

  /** Closes the cache manager of a JCache impl, ignoring failures (used in tear-downs). */
  public static void closeQuietly(Cache<?, ?> cache) {
    if (cache == null) {
      return;
    }
    try {
      CacheManager manager = cache.getCacheManager();
      manager.destroyCache(cache.getName());
      manager.close();
    } catch (RuntimeException e) {
      System.err.println("warning: closing " + cache.getName() + ": " + e);
    }
  }
}
