package io.layercache.jcache.event;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered JCache listener: its configuration, the listener and filter instances made
 * from it, and (when asynchronous) the serial executor that keeps its events in order.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ListenerRegistration<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistration.class);

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final Executor asyncExecutor;

  ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration, Executor sharedExecutor) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    this.filter = configuration.getCacheEntryEventFilterFactory() == null
        ? null : configuration.getCacheEntryEventFilterFactory().create();
    this.asyncExecutor = configuration.isSynchronous() ? null : new SerialExecutor(sharedExecutor);
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  /** Delivers the events this listener handles; synchronous listeners' failures propagate. */
  void deliver(List<EntryEvent<K, V>> events) {
    for (EntryEvent<K, V> event : events) {
      if (!handles(event)) {
        continue;
      }
      EntryEvent<K, V> delivered = configuration.isOldValueRequired() ? event : event.withoutOldValue();
      if (asyncExecutor == null) {
        deliverNow(delivered);
      } else {
        asyncExecutor.execute(() -> {
          try {
            deliverNow(delivered);
          } catch (RuntimeException e) {
            LOG.warn("cache={} asynchronous listener {} failed on {}", event.getSource().getName(), listener, event, e);
          }
        });
      }
    }
  }

  void close() {
    closeQuietly(listener);
    closeQuietly(filter);
  }

  private boolean handles(EntryEvent<K, V> event) {
    return switch (event.getEventType()) {
      case CREATED -> listener instanceof CacheEntryCreatedListener;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener;
      case REMOVED -> listener instanceof CacheEntryRemovedListener;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener;
    };
  }

  @SuppressWarnings("unchecked")
  private void deliverNow(EntryEvent<K, V> event) {
    try {
      if (filter != null && !filter.evaluate(event)) {
        return;
      }
      List<EntryEvent<K, V>> batch = List.of(event);
      switch (event.getEventType()) {
        case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated((List) batch);
        case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated((List) batch);
        case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved((List) batch);
        case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired((List) batch);
      }
    } catch (CacheEntryListenerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheEntryListenerException("Listener " + listener + " failed on " + event, e);
    }
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Failed to close {}", resource, e);
      }
    }
  }
}
