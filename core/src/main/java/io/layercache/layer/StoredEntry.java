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
 * @param kind      a value, a remembered "not found" (negative caching), or a last-known-good value
 *                  cached again by fail-safe
 * @param fence     the fencing token of the cross-instance load lease this value was loaded
 *                  under ({@link LoadLeases}), 0 for every other write; a shared layer refuses a
 *                  fenced write once a newer lease was granted for the key
 * @param <V>       the value type
 */
public record StoredEntry<V>(V value, long expireAt, long writtenAt, Set<String> tags, Kind kind, long fence) {

  /** What an entry stands for. */
  public enum Kind {
    /** A value written or loaded. */
    VALUE,
    /**
     * The loader found nothing: remembered for a short time so the origin is not asked again.
     * Its value is {@link #NOT_FOUND_VALUE}; the JCache API never shows it.
     */
    NOT_FOUND,
    /** A last-known-good value that fail-safe served and cached again after a failed load. */
    FAIL_SAFE
  }

  /** The placeholder value of a {@link Kind#NOT_FOUND} entry. */
  public static final Object NOT_FOUND_VALUE = new Object() {
    @Override
    public String toString() {
      return "<not found>";
    }
  };

  /** The expiry of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  /** Validates the entry. */
  public StoredEntry {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(kind, "kind");
  }

  /** An unfenced value: every write except a load under a lease. */
  public StoredEntry(V value, long expireAt, long writtenAt, Set<String> tags) {
    this(value, expireAt, writtenAt, tags, Kind.VALUE, 0L);
  }

  /** A remembered "not found" of a loader, expiring at {@code expireAt}. */
  @SuppressWarnings("unchecked")
  public static <V> StoredEntry<V> notFound(long expireAt, long writtenAt) {
    return new StoredEntry<>((V) NOT_FOUND_VALUE, expireAt, writtenAt, Set.of(), Kind.NOT_FOUND, 0L);
  }

  /** True for a remembered "not found" (negative caching). */
  public boolean isNotFound() {
    return kind == Kind.NOT_FOUND;
  }

  /** True when the entry has not expired by {@code time}'s clock; an eternal entry reads no clock. */
  public boolean isLive(io.layercache.TimeSource time) {
    return expireAt == ETERNAL || expireAt > time.currentTimeMillis();
  }

  /** True when the entry is past its expiry at {@code nowMillis}. */
  public boolean isExpiredAt(long nowMillis) {
    return expireAt != ETERNAL && expireAt <= nowMillis;
  }

  /**
   * True when {@code other} is the same write of the same entry, even as a different object
   * decoded again from a remote layer, or a copy whose expiry a layer capped or an access
   * extended, or fail-safe re-cached: the same write stamp and an equal value (a "not found" is
   * only ever the same write as another "not found", so a value's {@code equals} never sees the
   * placeholder). (Instances stamp independently, so two
   * writes can share a stamp; the value check keeps them apart.)
   */
  public boolean isSameWriteAs(StoredEntry<?> other) {
    return other != null && other.writtenAt == writtenAt && other.isNotFound() == isNotFound()
        && (other.value == value || other.value.equals(value));
  }

  /** The same entry holding another instance of its value (for store-by-reference identity). */
  public StoredEntry<V> withValue(V sameValue) {
    return new StoredEntry<>(sameValue, expireAt, writtenAt, tags, kind, fence);
  }

  /** The same entry with another expiry time. */
  public StoredEntry<V> withExpireAt(long newExpireAt) {
    return new StoredEntry<>(value, newExpireAt, writtenAt, tags, kind, fence);
  }

  /** The same entry as another kind (fail-safe marks the last-known-good value it caches again). */
  public StoredEntry<V> withKind(Kind newKind) {
    return new StoredEntry<>(value, expireAt, writtenAt, tags, newKind, fence);
  }

  /** The same entry carrying the fencing token of the lease it was loaded under. */
  public StoredEntry<V> withFence(long leaseFence) {
    return new StoredEntry<>(value, expireAt, writtenAt, tags, kind, leaseFence);
  }
}
