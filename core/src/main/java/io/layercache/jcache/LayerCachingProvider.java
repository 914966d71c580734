package io.layercache.jcache;

import io.layercache.config.CacheTemplates;
import io.layercache.config.ConfigFileReader;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JCache {@link CachingProvider} of LayerCache, registered in
 * {@code META-INF/services/javax.cache.spi.CachingProvider}.
 *
 * <p>Keeps one {@link LayerCacheManager} per (URI, class loader). The default URI
 * ({@value #DEFAULT_URI_STRING}) reads {@code application.conf}; a {@code classpath:} or
 * {@code file:} URI reads the configuration file it names. Select this provider explicitly when
 * several are on the class path: {@code Caching.getCachingProvider(LayerCachingProvider.class.getName())}
 * or the system property {@code javax.cache.spi.CachingProvider}.
 */
public final class LayerCachingProvider implements CachingProvider {

  /** The default cache manager URI. */
  public static final String DEFAULT_URI_STRING = "layercache:default";

  private static final URI DEFAULT_URI = URI.create(DEFAULT_URI_STRING);

  private final Map<ClassLoader, Map<URI, LayerCacheManager>> managers = new WeakHashMap<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(new DaemonThreads());

  @Override
  public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties managerProperties = properties == null ? new Properties() : properties;
    Map<URI, LayerCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
    LayerCacheManager manager = byUri.get(managerUri);
    if (manager == null || manager.isClosed()) {
      manager = new LayerCacheManager(this, managerUri, loader, managerProperties,
          ConfigFileReader.read(managerUri, loader), executor);
      byUri.put(managerUri, manager);
    }
    return manager;
  }

  /**
   * Opens a cache manager whose configuration its caller has already read, for frameworks that
   * keep settings in their own property sources (the Spring Boot starter) instead of in the file
   * a URI names. The manager is then found like any other, by this URI and class loader.
   *
   * @param uri         the manager's URI; no open manager of this provider may have it already,
   *                    since its templates would differ from {@code templates}
   * @param classLoader the manager's class loader; null for this provider's default
   * @param templates   the default template and the caches to create with the manager
   * @throws IllegalStateException when a manager of this URI and class loader is already open
   */
  public synchronized CacheManager openCacheManager(URI uri, ClassLoader classLoader, CacheTemplates templates) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(templates, "templates");
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Map<URI, LayerCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
    LayerCacheManager existing = byUri.get(uri);
    if (existing != null && !existing.isClosed()) {
      throw new IllegalStateException("A LayerCache cache manager with URI " + uri + " is already open; "
          + "close it first or choose another URI");
    }
    LayerCacheManager manager = new LayerCacheManager(this, uri, loader, new Properties(), templates, executor);
    byUri.put(uri, manager);
    return manager;
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return getClass().getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    for (LayerCacheManager manager : snapshot(null, null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    for (LayerCacheManager manager : snapshot(classLoader == null ? getDefaultClassLoader() : classLoader, null)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    for (LayerCacheManager manager : snapshot(classLoader == null ? getDefaultClassLoader() : classLoader,
        uri == null ? getDefaultURI() : uri)) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    return feature == OptionalFeature.STORE_BY_REFERENCE;
  }

  /** Forgets a closed manager. */
  synchronized void release(LayerCacheManager manager) {
    Map<URI, LayerCacheManager> byUri = managers.get(manager.getClassLoader());
    if (byUri != null) {
      byUri.remove(manager.getURI(), manager);
      if (byUri.isEmpty()) {
        managers.remove(manager.getClassLoader());
      }
    }
  }

  private synchronized java.util.List<LayerCacheManager> snapshot(ClassLoader classLoader, URI uri) {
    java.util.List<LayerCacheManager> result = new java.util.ArrayList<>();
    for (Map.Entry<ClassLoader, Map<URI, LayerCacheManager>> byLoader : managers.entrySet()) {
      if (classLoader != null && byLoader.getKey() != classLoader) {
        continue;
      }
      for (LayerCacheManager manager : byLoader.getValue().values()) {
        if (uri == null || Objects.equals(uri, manager.getURI())) {
          result.add(manager);
        }
      }
    }
    return result;
  }

  /** Daemon threads for asynchronous listeners and loadAll, so they never keep a JVM alive. */
  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "layercache-async-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
