package io.layercache.layer.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.layercache.layer.LayerTraits;
import io.layercache.layer.EvictionSink;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.StoredEntry;
import java.util.Iterator;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The in-process layer: a Caffeine cache of {@link StoredEntry}s.
 *
 * <ul>
 *   <li>Reads are one Caffeine {@code getIfPresent}; nothing else on the hit path.
 *   <li>Caffeine reclaims an expired entry {@link #RECLAIM_GRACE_MILLIS} after its expiry. Until
 *       then the coordinator sees it, expires it itself and tells JCache listeners on the caller's
 *       thread, so expiry events do not depend on Caffeine's maintenance timing.
 *   <li>Caffeine's own expiry is only configured when entries can expire
 *       ({@code expiringEntries}); an eternal cache pays nothing for it. Entries given a per-entry
 *       ttl in an eternal cache are expired when read and otherwise reclaimed by the size bound.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MemoryLayer<K, V> implements Layer<K, V> {

  /** How long past its expiry Caffeine keeps an entry before reclaiming it. */
  static final long RECLAIM_GRACE_MILLIS = 1_000;

  private final Cache<K, StoredEntry<V>> cache;
  private final ConcurrentMap<K, StoredEntry<V>> map;

  /** Builds the layer; Caffeine's expiry is configured only for {@code expiringEntries}. */
  public MemoryLayer(MemoryLayerSpec spec, LayerContext<K, V> context, boolean expiringEntries) {
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    if (spec.maximumWeight() != null) {
      builder.maximumWeight(spec.maximumWeight())
          .weigher((key, entry) -> weigh(spec, key, (StoredEntry<?>) entry));
    } else if (!spec.isUnbounded()) {
      builder.maximumSize(spec.maximumSize());
    }
    if (expiringEntries || spec.ttl() != null) {
      builder.expireAfter(new ReclaimAfterExpiry<K, V>(context));
    }
    EvictionSink<K, V> sink = context.evictionSink();
    this.cache = builder.<K, StoredEntry<V>>evictionListener((key, entry, cause) -> {
      if (key != null && entry != null && cause.wasEvicted()) {
        sink.onEvicted(this, key, entry, cause == RemovalCause.EXPIRED);
      }
    }).build();
    this.map = cache.asMap();
  }

  @Override
  public String name() {
    return MemoryLayerSpec.TYPE;
  }

  @Override
  public LayerTraits traits() {
    return LayerTraits.IN_MEMORY;
  }

  @Override
  public StoredEntry<V> get(K key) {
    return cache.getIfPresent(key);
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    cache.put(key, entry);
  }

  @Override
  public StoredEntry<V> remove(K key) {
    return map.remove(key);
  }

  @Override
  public boolean remove(K key, StoredEntry<V> expected) {
    boolean[] removed = new boolean[1];
    map.computeIfPresent(key, (k, current) -> {
      removed[0] = expected.isSameWriteAs(current);
      return removed[0] ? null : current;
    });
    return removed[0];
  }

  @Override
  public StoredEntry<V> compute(K key,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    return map.compute(key, remapping);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public Iterator<K> keys() {
    return map.keySet().iterator();
  }

  @Override
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  @Override
  public void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  /** Tells Caffeine to reclaim an entry a grace period after its logical expiry. */
  private static final class ReclaimAfterExpiry<K, V> implements Expiry<K, StoredEntry<V>> {
    private final LayerContext<K, V> context;

    ReclaimAfterExpiry(LayerContext<K, V> context) {
      this.context = context;
    }

    @Override
    public long expireAfterCreate(K key, StoredEntry<V> entry, long currentTime) {
      return nanosUntilReclaim(entry);
    }

    @Override
    public long expireAfterUpdate(K key, StoredEntry<V> entry, long currentTime, long currentDuration) {
      return nanosUntilReclaim(entry);
    }

    @Override
    public long expireAfterRead(K key, StoredEntry<V> entry, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long nanosUntilReclaim(StoredEntry<V> entry) {
      if (entry.expireAt() == StoredEntry.ETERNAL) {
        return Long.MAX_VALUE;
      }
      // A remembered "not found" is never served stale: it goes at its expiry (plus the grace).
      long retain = entry.isNotFound() ? 0 : context.retainExpiredMillis();
      long millis = entry.expireAt() + RECLAIM_GRACE_MILLIS + retain
          - context.timeSource().currentTimeMillis();
      return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(Math.min(millis, Long.MAX_VALUE / 2_000_000));
    }
  }

  /**
   * The user's weigher sees only real values: a remembered "not found" weighs 1 (its placeholder
   * is not of the value type).
   */
  private static int weigh(MemoryLayerSpec spec, Object key, StoredEntry<?> entry) {
    return entry.isNotFound() ? 1 : spec.weigher().weigh(key, entry.value());
  }
}
