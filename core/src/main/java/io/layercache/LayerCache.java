package io.layercache;

import org.jspecify.annotations.Nullable;
import io.layercache.event.CacheEventListener;
import io.layercache.event.Subscription;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.cache.Cache;

/**
 * The LayerCache extensions of a JCache {@link Cache}, reached with
 * {@code cache.unwrap(LayerCache.class)}.
 *
 * <p>Every method goes through the same layer stack, statistics, listeners and expiry policy
 * as the plain JCache methods; the extensions only add what JCache cannot express.
 *
 * <ul>
 *   <li>Thread-safe.
 *   <li>Loads are single-flight: concurrent callers of {@link #get(Object, Loader)} for the same
 *       missing key share one loader call and its outcome (value or exception).
 *   <li>All methods throw {@link IllegalStateException} once the cache is closed.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface LayerCache<K, V> {

  /** The cache's name. */
  String getName();

  /** The JCache view of this cache. */
  Cache<K, V> asJCache();

  /**
   * Returns the value of {@code key}, loading it once if no layer holds it.
   *
   * <p>Concurrent callers for the same missing key wait for the one load in flight. A loaded
   * value is written to every layer with the cache's expiry policy; {@code null} from the loader
   * is returned and not cached.
   *
   * @throws NullPointerException if key or loader is null
   * @throws javax.cache.integration.CacheLoaderException if the loader failed (each waiting caller
   *     receives it once; nothing is cached)
   */
  @Nullable V get(K key, Loader<? super K, ? extends V> loader);

  /** As {@link #get(Object, Loader)}, writing a loaded value with these entry options. */
  @Nullable V get(K key, Loader<? super K, ? extends V> loader, EntryOptions options);

  /**
   * Writes {@code value} to every layer with per-entry options (time to live, tags). Behaves as
   * {@link Cache#put} otherwise: write-through, listeners and statistics apply.
   */
  void set(K key, V value, EntryOptions options);

  /**
   * Removes {@code key} from every layer without calling the cache writer; listeners are told.
   *
   * @return true if a live entry was removed
   */
  boolean invalidate(K key);

  /**
   * Deletes every entry whose String key matches {@code glob} ({@link KeyPattern}: {@code *},
   * {@code ?}, {@code [a-z]}, {@code \} escapes) from every layer and, over the invalidation bus,
   * from every instance's memory layers. Walks the keys (a bounded SCAN on Redis, never
   * {@code KEYS}); calls no cache writer and no JCache listener, as {@code clear()}.
   *
   * @return how many entries the authoritative layer held
   * @throws IllegalArgumentException when the glob is empty, too long or malformed
   */
  long deleteByPattern(String glob);

  /** True when a live entry exists for {@code key}, without loading it or counting a hit or miss. */
  boolean has(K key);

  /** The approximate number of entries in the authoritative (bottom) layer. */
  long estimatedSize();

  /**
   * Invalidates every entry that carries {@code tag} and was written before this call. Entries
   * written afterwards with the same tag are live. Costs one write, whatever the number of
   * tagged entries: invalidated entries are dropped lazily when next read.
   */
  void invalidateByTag(String tag);

  /** Invalidates every entry that carries any of {@code tags}. */
  void invalidateByTags(Collection<String> tags);

  /** Describes the live entry of {@code key}, without touching statistics, expiry or events. */
  Optional<EntryInfo<V>> entryInfo(K key);

  /** Counters of each layer, top layer first. */
  List<LayerStatistics> layerStatistics();

  /**
   * Counters of loading: fail-safe, loader timeouts, background refreshes, negative caching and
   * cross-instance single-flight; always collected.
   */
  LoadStatistics loadStatistics();

  /**
   * Counters of the invalidation bus this cache publishes and receives on (shared with the
   * cache manager's other caches on the same bus); empty when the cache has no bus.
   */
  Optional<io.layercache.bus.BusStatistics> busStatistics();

  /** Zeroes the per-layer and load counters. */
  void resetLayerStatistics();

  /**
   * Subscribes to this cache's typed events (hits and misses per layer, loads, writes,
   * invalidations…). Listeners run on the thread that caused the event and must be fast and
   * must not throw; an exception is logged and swallowed.
   *
   * @return a subscription whose {@link Subscription#close()} stops the events
   */
  Subscription subscribe(CacheEventListener<K> listener);
}
