package io.layercache.layer;

import java.util.Objects;
import java.util.Set;

/**
 * One cached value with the metadata every layer keeps: its logical expiry, when it was written,
 * and its tags. Immutable; layers store it as is (memory) or encode it (remote layers).
 *
 * <p>Entries come in three shapes, picked by {@link #of}, so the common ones carry only the
 * fields they use: an eternal untagged value is a value and a write stamp (the size of the
 * value-and-expiry wrapper of Caffeine's own JCache provider); an expiring untagged value adds its
 * expiry; only tagged, fenced, "not found" and fail-safe entries carry everything. Shapes are
 * equal when their fields are.
 *
 * <ul>
 *   <li>{@code value}: the value, never null
 *   <li>{@code expireAt}: epoch millis after which the entry is expired, {@link #ETERNAL} for never
 *   <li>{@code writtenAt}: the write stamp from {@code WriteClock}; orders the entry against tag
 *       invalidations and other writes
 *   <li>{@code tags}: the entry's tags, empty for most entries
 *   <li>{@code kind}: a value, a remembered "not found" (negative caching), or a last-known-good
 *       value cached again by fail-safe
 *   <li>{@code fence}: the fencing token of the cross-instance load lease this value was loaded
 *       under ({@link LoadLeases}), 0 for every other write; a shared layer refuses a fenced write
 *       once a newer lease was granted for the key
 * </ul>
 *
 * @param <V> the value type
 */
public sealed interface StoredEntry<V> permits StoredEntry.Eternal, StoredEntry.Expiring, StoredEntry.Full {

  /** What an entry stands for. */
  enum Kind {
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
  Object NOT_FOUND_VALUE = new Object() {
    @Override
    public String toString() {
      return "<not found>";
    }
  };

  /** The expiry of an entry that never expires. */
  long ETERNAL = Long.MAX_VALUE;

  /**
   * The {@link #writtenAt()} of an entry whose write stamp was not kept: an eternal, untagged value
   * an in-process layer held bare (see {@link LayerContext#bareEternalValues()}).
   */
  long UNSTAMPED = 0L;

  /** The value, never null. */
  V value();

  /** Epoch millis after which the entry is expired, {@link #ETERNAL} for never. */
  long expireAt();

  /** The write stamp. */
  long writtenAt();

  /** The tags, empty for most entries. */
  Set<String> tags();

  /** What the entry stands for. */
  Kind kind();

  /** The fencing token of the lease the value was loaded under, 0 for none. */
  long fence();

  /** An entry of the smallest shape that holds these fields. */
  static <V> StoredEntry<V> of(V value, long expireAt, long writtenAt, Set<String> tags, Kind kind, long fence) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(kind, "kind");
    if (!tags.isEmpty() || kind != Kind.VALUE || fence != 0) {
      return new Full<>(value, expireAt, writtenAt, tags, kind, fence);
    }
    return expireAt == ETERNAL ? new Eternal<>(value, writtenAt) : new Expiring<>(value, expireAt, writtenAt);
  }

  /** An unfenced value: every write except a load under a lease. */
  static <V> StoredEntry<V> of(V value, long expireAt, long writtenAt, Set<String> tags) {
    return of(value, expireAt, writtenAt, tags, Kind.VALUE, 0L);
  }

  /** A remembered "not found" of a loader, expiring at {@code expireAt}. */
  @SuppressWarnings("unchecked")
  static <V> StoredEntry<V> notFound(long expireAt, long writtenAt) {
    return new Full<>((V) NOT_FOUND_VALUE, expireAt, writtenAt, Set.of(), Kind.NOT_FOUND, 0L);
  }

  /** True for a remembered "not found" (negative caching). */
  default boolean isNotFound() {
    return kind() == Kind.NOT_FOUND;
  }

  /** True when the entry has not expired by {@code time}'s clock; an eternal entry reads no clock. */
  default boolean isLive(io.layercache.TimeSource time) {
    long expireAt = expireAt();
    return expireAt == ETERNAL || expireAt > time.currentTimeMillis();
  }

  /** True when the entry is past its expiry at {@code nowMillis}. */
  default boolean isExpiredAt(long nowMillis) {
    long expireAt = expireAt();
    return expireAt != ETERNAL && expireAt <= nowMillis;
  }

  /**
   * True when {@code other} is the same write of the same entry, even as a different object
   * decoded again from a remote layer, or a copy whose expiry a layer capped or an access
   * extended, or fail-safe re-cached: the same write stamp and an equal value (a "not found" is
   * only ever the same write as another "not found", so a value's {@code equals} never sees the
   * placeholder). Instances stamp independently, so two writes can share a stamp; the value
   * check keeps them apart where the value type can tell (it defines {@code equals}, or it is an
   * array, compared element by element); for a type that cannot (identity {@code equals}), a
   * decoded copy would never match, so the stamp decides.
   */
  default boolean isSameWriteAs(StoredEntry<?> other) {
    return other != null && other.writtenAt() == writtenAt() && other.isNotFound() == isNotFound()
        && ValueEquality.sameValue(other.value(), value());
  }

  /** The same entry holding another instance of its value (for store-by-reference identity). */
  default StoredEntry<V> withValue(V sameValue) {
    return of(sameValue, expireAt(), writtenAt(), tags(), kind(), fence());
  }

  /** The same entry with another expiry time. */
  default StoredEntry<V> withExpireAt(long newExpireAt) {
    return of(value(), newExpireAt, writtenAt(), tags(), kind(), fence());
  }

  /** The same entry as another kind (fail-safe marks the last-known-good value it caches again). */
  default StoredEntry<V> withKind(Kind newKind) {
    return of(value(), expireAt(), writtenAt(), tags(), newKind, fence());
  }

  /** The same entry carrying the fencing token of the lease it was loaded under. */
  default StoredEntry<V> withFence(long leaseFence) {
    return of(value(), expireAt(), writtenAt(), tags(), kind(), leaseFence);
  }

  /** An eternal, untagged, unfenced value: a value and its write stamp. */
  record Eternal<V>(V value, long writtenAt) implements StoredEntry<V> {
    @Override
    public long expireAt() {
      return ETERNAL;
    }

    @Override
    public Set<String> tags() {
      return Set.of();
    }

    @Override
    public Kind kind() {
      return Kind.VALUE;
    }

    @Override
    public long fence() {
      return 0L;
    }

    @Override
    public boolean isLive(io.layercache.TimeSource time) {
      return true;
    }
  }

  /** An expiring, untagged, unfenced value. */
  record Expiring<V>(V value, long expireAt, long writtenAt) implements StoredEntry<V> {
    @Override
    public Set<String> tags() {
      return Set.of();
    }

    @Override
    public Kind kind() {
      return Kind.VALUE;
    }

    @Override
    public long fence() {
      return 0L;
    }
  }

  /** Any entry: tagged, fenced, a "not found", or a fail-safe value. */
  record Full<V>(V value, long expireAt, long writtenAt, Set<String> tags, Kind kind, long fence)
      implements StoredEntry<V> {}
}
