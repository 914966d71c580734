package io.layercache.jcache;

import io.layercache.codec.Copier;
import io.layercache.coordinator.CacheCore;
import io.layercache.jcache.management.JCacheStatistics;
import io.layercache.layer.StoredEntry;
import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.cache.Cache;

/**
 * Iterates a cache's live entries, weakly consistent; {@link #remove()} removes through the
 * cache (writer, listeners). Each entry returned counts as a hit.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EntryIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final CacheProxy<K, V> cache;
  private final CacheCore<K, V> core;
  private final Copier copier;
  private final JCacheStatistics statistics;
  private final Iterator<K> keys;
  private Cache.Entry<K, V> next;
  private Cache.Entry<K, V> last;

  EntryIterator(CacheProxy<K, V> cache, CacheCore<K, V> core, Copier copier, JCacheStatistics statistics) {
    this.cache = cache;
    this.core = core;
    this.copier = copier;
    this.statistics = statistics;
    this.keys = core.keys();
  }

  @Override
  public boolean hasNext() {
    requireOpen();
    while (next == null && keys.hasNext()) {
      K key = keys.next();
      StoredEntry<V> entry = core.liveEntry(key);
      if (entry != null) {
        core.touch(key, entry);
        statistics.recordHits(1);
        next = new EntryProxy<>(copier.copy(key), copier.copy(entry.value()));
      }
    }
    return next != null;
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = next;
    next = null;
    return last;
  }

  @Override
  public void remove() {
    requireOpen();
    if (last == null) {
      throw new IllegalStateException("next() was not called, or remove() was already called for this entry");
    }
    cache.remove(last.getKey());
    last = null;
  }

  private void requireOpen() {
    if (cache.isClosed()) {
      throw new IllegalStateException("Cache '" + cache.getName() + "' is closed");
    }
  }
}
