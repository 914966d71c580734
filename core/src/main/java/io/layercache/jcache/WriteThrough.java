package io.layercache.jcache;

import io.layercache.coordinator.WriteThroughOnce;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * The cache's JCache {@link CacheWriter}, or nothing when write-through is off: calls it and turns
 * its failures into {@link CacheWriterException}s that name the cache and key.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class WriteThrough<K, V> {

  private static final String WRITE = "write";
  private static final String DELETE = "delete";

  private final String cacheName;
  private final CacheWriter<K, V> writer;

  /** @param writer the writer, or null when the cache does not write through */
  WriteThrough(String cacheName, CacheWriter<K, V> writer) {
    this.cacheName = cacheName;
    this.writer = writer;
  }

  /** True when there is a writer to call. */
  boolean isActive() {
    return writer != null;
  }

  /** A fresh once-per-operation guard, or null when there is no writer. */
  WriteThroughOnce newOperation() {
    return writer == null ? null : new WriteThroughOnce();
  }

  /** Writes {@code key -> value}, once per operation even when the operation's decision is retried. */
  void write(WriteThroughOnce once, K key, V value) {
    if (writer != null) {
      once.run(WRITE, value, () -> call(() -> writer.write(new EntryProxy<>(key, value)), "failed for key " + key));
    }
  }

  /** Deletes {@code key}, once per operation. */
  void delete(WriteThroughOnce once, K key) {
    if (writer != null) {
      once.run(DELETE, key, () -> call(() -> writer.delete(key), "failed to delete key " + key));
    }
  }

  /**
   * Writes the entries; returns those the writer took (all of them without a writer) and the
   * failure to rethrow once they are cached, or null.
   */
  Batch<K> writeAll(Map<? extends K, ? extends V> entries) {
    Set<K> written = new LinkedHashSet<>(entries.keySet());
    if (writer == null || entries.isEmpty()) {
      return new Batch<>(written, null);
    }
    Collection<Cache.Entry<? extends K, ? extends V>> pending = new ArrayList<>(entries.size());
    entries.forEach((k, v) -> pending.add(new EntryProxy<>(k, v)));
    CacheWriterException failure = null;
    try {
      writer.writeAll(pending);
    } catch (RuntimeException e) {
      failure = e instanceof CacheWriterException cwe ? cwe : new CacheWriterException(
          "Cache writer of cache '" + cacheName + "' failed in writeAll", e);
    }
    pending.forEach(notWritten -> written.remove(notWritten.getKey()));
    if (failure == null && !pending.isEmpty()) {
      failure = new CacheWriterException("Cache writer of cache '" + cacheName + "' did not write " + pending.size()
          + " of " + entries.size() + " entries");
    }
    return new Batch<>(written, failure);
  }

  /** Deletes the keys; returns those the writer deleted (all without a writer) and the failure, or null. */
  Batch<K> deleteAll(Set<K> keys) {
    if (writer == null || keys.isEmpty()) {
      return new Batch<>(keys, null);
    }
    Set<K> pending = new LinkedHashSet<>(keys);
    CacheWriterException failure = null;
    try {
      writer.deleteAll(pending);
    } catch (RuntimeException e) {
      failure = e instanceof CacheWriterException cwe ? cwe : new CacheWriterException(
          "Cache writer of cache '" + cacheName + "' failed in deleteAll", e);
    }
    Set<K> deleted = new LinkedHashSet<>(keys);
    deleted.removeAll(pending);
    return new Batch<>(deleted, failure);
  }

  /** What a batch call left to the cache: the keys to apply and the failure to rethrow after, or null. */
  record Batch<K>(Set<K> done, CacheWriterException failure) {}

  private void call(Runnable call, String what) {
    try {
      call.run();
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("Cache writer of cache '" + cacheName + "' " + what, e);
    }
  }

  /** The writer, for closing. */
  CacheWriter<K, V> writer() {
    return writer;
  }
}
