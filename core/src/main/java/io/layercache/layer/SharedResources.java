package io.layercache.layer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resources layers share across the caches of one cache manager, such as a Redis client: made
 * once on first use, closed when the manager closes. Keeps a manager with hundreds of caches on
 * one connection pool instead of hundreds.
 */
public final class SharedResources implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedResources.class);

  private final Map<Object, AutoCloseable> resources = new LinkedHashMap<>();
  private boolean closed;

  /**
   * The resource registered under {@code key}, made by {@code factory} on first use.
   *
   * @throws IllegalStateException once the manager closed its resources
   */
  public synchronized <T extends AutoCloseable> T computeIfAbsent(Object key, Supplier<T> factory) {
    if (closed) {
      throw new IllegalStateException("The cache manager's shared resources are closed");
    }
    @SuppressWarnings("unchecked")
    T resource = (T) resources.get(key);
    if (resource == null) {
      // Not Map.computeIfAbsent: a factory may register resources of its own (a bus transport its
      // Redis client), which then close after the resource that uses them.
      resource = factory.get();
      resources.put(key, resource);
    }
    return resource;
  }

  /** The resource registered under {@code key}, or null. */
  public synchronized <T extends AutoCloseable> T find(Object key) {
    @SuppressWarnings("unchecked")
    T resource = (T) resources.get(key);
    return resource;
  }

  /** Closes every resource, newest first. */
  @Override
  public synchronized void close() {
    closed = true;
    var list = new java.util.ArrayList<>(resources.values());
    java.util.Collections.reverse(list);
    for (AutoCloseable resource : list) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Failed to close shared resource {}", resource, e);
      }
    }
    resources.clear();
  }
}
