package io.layercache.layer;

import java.util.Objects;
import java.util.Set;

/**
 * One cached value with the metadata every layer keeps: its logical expiry, when it was written,
 * and its tags. Immutable; layers store it as is (memory) or encode it (remote layers).
 *
 * @param value     the value, never null
 * @param expireAt  epoch millis after which the entry is expired, {@link #ETERNAL} for never
 * @param writtenAt the write stamp from {@link io.layercache.coordinator.WriteClock}; orders the
 *                  entry against tag invalidations
 * @param tags      the entry's tags, empty for most entries
 * @param fence     the fencing token of the cross-instance load lease this value was loaded
 *                  under ({@link LoadLeases}), 0 for every other write; a shared layer refuses a
 *                  fenced write once a newer lease was granted for the key
 * @param <V>       the value type
 */
public record StoredEntry<V>(V value, long expireAt, long writtenAt, Set<String> tags, long fence) {

  /** The expiry of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  /** Validates the entry. */
  public StoredEntry {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(tags, "tags");
  }

  /** An unfenced entry: every write except a load under a lease. */
  public StoredEntry(V value, long expireAt, long writtenAt, Set<String> tags) {
    this(value, expireAt, writtenAt, tags, 0L);
  }

  /** True when the entry is past its expiry at {@code nowMillis}. */
  public boolean isExpiredAt(long nowMillis) {
    return expireAt != ETERNAL && expireAt <= nowMillis;
  }

  /**
   * True when {@code other} is the same write of the same entry, even as a different object
   * decoded again from a remote layer, or a copy whose expiry a layer capped or an access
   * extended: the same write stamp and an equal value. (Instances stamp independently, so two
   * writes can share a stamp; the value check keeps them apart.)
   */
  public boolean isSameWriteAs(StoredEntry<?> other) {
    return other != null && other.writtenAt == writtenAt && (other.value == value || other.value.equals(value));
  }

  /** The same entry holding another instance of its value (for store-by-reference identity). */
  public StoredEntry<V> withValue(V sameValue) {
    return new StoredEntry<>(sameValue, expireAt, writtenAt, tags, fence);
  }

  /** The same entry with another expiry time. */
  public StoredEntry<V> withExpireAt(long newExpireAt) {
    return new StoredEntry<>(value, newExpireAt, writtenAt, tags, fence);
  }

  /** The same entry carrying the fencing token of the lease it was loaded under. */
  public StoredEntry<V> withFence(long leaseFence) {
    return new StoredEntry<>(value, expireAt, writtenAt, tags, leaseFence);
  }
}
