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
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The in-process layer: a Caffeine cache of {@link StoredEntry}s, or of bare values.
 *
 * <ul>
 *   <li>Reads are one Caffeine {@code getIfPresent}; nothing else on the hit path.
 *   <li>With {@link LayerContext#bareEternalValues()} (a memory-only cache without access expiry)
 *       an eternal, untagged value is held as itself: no wrapper per entry (24 bytes less) and no
 *       second memory access on a hit. {@link #held} hands it out as it is; every other method
 *       wraps it again as an entry without a write stamp ({@link StoredEntry#UNSTAMPED}). A value
 *       that is itself a {@code StoredEntry} is always kept wrapped, so what is held is never
 *       ambiguous.
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

  /** Holds a {@link StoredEntry}, or a bare value ({@link #isBare}). */
  private final Cache<K, Object> cache;
  private final ConcurrentMap<K, Object> map;
  private final boolean bareEternalValues;

  /** Builds the layer; Caffeine's expiry is configured only for {@code expiringEntries}. */
  public MemoryLayer(MemoryLayerSpec spec, LayerContext<K, V> context, boolean expiringEntries) {
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    if (spec.maximumWeight() != null) {
      builder.maximumWeight(spec.maximumWeight())
          .weigher((key, held) -> weigh(spec, key, held));
    } else if (!spec.isUnbounded()) {
      builder.maximumSize(spec.maximumSize());
    }
    if (expiringEntries || spec.ttl() != null) {
      builder.expireAfter(new ReclaimAfterExpiry<K, V>(context));
    }
    EvictionSink<K, V> sink = context.evictionSink();
    this.cache = builder.<K, Object>evictionListener((key, held, cause) -> {
      if (key != null && held != null && cause.wasEvicted()) {
        sink.onEvicted(this, key, entryOf(held), cause == RemovalCause.EXPIRED);
      }
    }).build();
    this.map = cache.asMap();
    this.bareEternalValues = context.bareEternalValues();
  }

  /**
   * What the layer holds for {@code key}, as it is: a bare value ({@link #isBare}), an entry, or
   * null. For the hit path of a cache whose one layer this is, which serves a bare value without
   * wrapping it.
   */
  public @Nullable Object held(K key) {
    return cache.getIfPresent(key);
  }

  /** Whether {@code held}, from {@link #held}, is a bare value rather than a {@link StoredEntry}. */
  public static boolean isBare(Object held) {
    // StoredEntry is sealed to these three records. Comparing classes is a few instructions on the
    // hit path, where an interface instanceof that fails (String is no StoredEntry) scans the
    // value class's secondary supertypes on every call.
    Class<?> type = held.getClass();
    return type != StoredEntry.Eternal.class && type != StoredEntry.Expiring.class && type != StoredEntry.Full.class;
  }

  /** Whether this layer keeps eternal, untagged values bare. */
  public boolean keepsBareValues() {
    return bareEternalValues;
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
  public @Nullable StoredEntry<V> get(K key) {
    return entryOf(cache.getIfPresent(key));
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    cache.put(key, toHeld(entry));
  }

  @Override
  public @Nullable StoredEntry<V> remove(K key) {
    return entryOf(map.remove(key));
  }

  @Override
  public boolean remove(K key, StoredEntry<V> expected) {
    boolean[] removed = new boolean[1];
    map.computeIfPresent(key, (k, current) -> {
      removed[0] = expected.isSameWriteAs(entryOf(current));
      return removed[0] ? null : current;
    });
    return removed[0];
  }

  @Override
  public @Nullable StoredEntry<V> compute(K key,
      BiFunction<? super K, ? super @Nullable StoredEntry<V>, ? extends @Nullable StoredEntry<V>> remapping) {
    return entryOf(map.compute(key, (k, current) -> {
      StoredEntry<V> after = remapping.apply(k, entryOf(current));
      return after == null ? null : toHeld(after);
    }));
  }

  /** What to hold for {@code entry}: its bare value when it may be kept so, else the entry. */
  private Object toHeld(StoredEntry<V> entry) {
    if (bareEternalValues && entry instanceof StoredEntry.Eternal<V> eternal && isBare(eternal.value())) {
      return eternal.value();
    }
    return entry;
  }

  /** The entry of what is held: a bare value becomes an eternal entry without a write stamp. */
  @SuppressWarnings("unchecked")
  private static <V> @Nullable StoredEntry<V> entryOf(@Nullable Object held) {
    if (held == null || !isBare(held)) {
      return (StoredEntry<V>) held;
    }
    return StoredEntry.of((V) held, StoredEntry.ETERNAL, StoredEntry.UNSTAMPED, Set.of());
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
  private static final class ReclaimAfterExpiry<K, V> implements Expiry<K, Object> {
    private final LayerContext<K, V> context;

    ReclaimAfterExpiry(LayerContext<K, V> context) {
      this.context = context;
    }

    @Override
    public long expireAfterCreate(K key, Object held, long currentTime) {
      return nanosUntilReclaim(held);
    }

    @Override
    public long expireAfterUpdate(K key, Object held, long currentTime, long currentDuration) {
      return nanosUntilReclaim(held);
    }

    @Override
    public long expireAfterRead(K key, Object held, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long nanosUntilReclaim(Object held) {
      if (!(held instanceof StoredEntry<?> entry) || entry.expireAt() == StoredEntry.ETERNAL) {
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
  private static int weigh(MemoryLayerSpec spec, Object key, Object held) {
    if (!(held instanceof StoredEntry<?> entry)) {
      return spec.weigher().weigh(key, held);
    }
    return entry.isNotFound() ? 1 : spec.weigher().weigh(key, entry.value());
  }
}
