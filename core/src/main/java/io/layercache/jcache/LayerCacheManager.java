package io.layercache.jcache;

import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.config.CacheTemplates;
import io.layercache.layer.SharedResources;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCache {@link CacheManager} of LayerCache: owns the caches of one (URI, class loader),
 * created in code or declared in its configuration file.
 *
 * <ul>
 *   <li>Caches declared in the configuration file are created with the manager, so
 *       {@link #getCacheNames()} and annotation-driven lookups see them at once.
 *   <li>A cache created in code with a plain JCache configuration gets the file's default layers
 *       and entry options.
 *   <li>Thread-safe; creation and destruction of caches are serialized per manager.
 * </ul>
 */
public final class LayerCacheManager implements CacheManager {

  private static final Logger LOG = LoggerFactory.getLogger(LayerCacheManager.class);

  private final LayerCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final CacheTemplates templates;
  private final Executor executor;
  private final Map<String, CacheProxy<?, ?>> caches = new ConcurrentHashMap<>();
  private final SharedResources sharedResources = new SharedResources();
  private volatile boolean closed;

  LayerCacheManager(LayerCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
      CacheTemplates templates, Executor executor) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
    this.templates = templates;
    this.executor = executor;
    templates.caches().forEach((name, configuration) -> createCache(name, configuration));
    if (!templates.caches().isEmpty()) {
      LOG.info("cacheManager={} created declared caches {}", uri, templates.caches().keySet());
    }
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public synchronized <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    if (caches.containsKey(cacheName)) {
      throw new CacheException("A cache named '" + cacheName + "' already exists in cache manager " + uri);
    }
    LayerCacheConfiguration<K, V> resolved = resolve(configuration);
    CacheProxy<K, V> cache = CacheFactory.create(this, cacheName, resolved, executor);
    caches.put(cacheName, cache);
    return cache;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    CacheProxy<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.getConfiguration(CompleteConfiguration.class);
    if (!keyType.equals(configuration.getKeyType())) {
      throw new ClassCastException("Cache '" + cacheName + "' has key type " + configuration.getKeyType().getName()
          + ", not " + keyType.getName());
    }
    if (!valueType.equals(configuration.getValueType())) {
      throw new ClassCastException("Cache '" + cacheName + "' has value type "
          + configuration.getValueType().getName() + ", not " + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    @SuppressWarnings("unchecked")
    Cache<K, V> cache = (Cache<K, V>) caches.get(cacheName);
    return cache;
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public synchronized void destroyCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    CacheProxy<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.clear();
      cache.close();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    CacheProxy<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    CacheProxy<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      provider.release(this);
      for (CacheProxy<?, ?> cache : caches.values()) {
        try {
          cache.close();
        } catch (RuntimeException e) {
          LOG.warn("cacheManager={} cache={} failed to close", uri, cache.getName(), e);
        }
      }
      caches.clear();
      sharedResources.close();
      closed = true;
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("A LayerCache cache manager unwraps to " + getClass().getName()
        + ", not to " + type.getName());
  }

  /** Forgets a closed cache. */
  void release(String cacheName, CacheProxy<?, ?> cache) {
    caches.remove(cacheName, cache);
  }

  /** Resources the layers of this manager's caches share; closed with the manager. */
  SharedResources sharedResources() {
    return sharedResources;
  }

  /** The templates this manager was configured with. */
  public CacheTemplates templates() {
    return templates;
  }

  private <K, V> LayerCacheConfiguration<K, V> resolve(Configuration<K, V> configuration) {
    LayerCacheConfiguration<K, V> resolved = LayerCacheConfiguration.from(configuration);
    if (resolved.getLayers().isEmpty()) {
      resolved.setLayers(templates.defaults().getLayers());
    }
    if (resolved.getBus() == null) {
      resolved.setBus(templates.defaults().getBus() == null ? BusConfig.none() : templates.defaults().getBus());
    }
    if (!(configuration instanceof LayerCacheConfiguration)) {
      resolved.setDefaultEntryOptions(templates.defaults().getDefaultEntryOptions());
      resolved.setResilience(templates.defaults().getResilience());
      resolved.setFailSafe(templates.defaults().getFailSafe());
      resolved.setRefresh(templates.defaults().getRefresh());
      resolved.setSingleFlight(templates.defaults().getSingleFlight());
      resolved.setNegativeCaching(templates.defaults().getNegativeCaching());
      resolved.setTags(templates.defaults().getTags());
    }
    return resolved.freeze();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Cache manager " + uri + " is closed");
    }
  }
}
