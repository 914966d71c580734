package io.layercache.coordinator;

import io.layercache.layer.StoredEntry;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One authoritative change of a cache, recorded once after it committed: the single fact every
 * observer (JCache listeners, JCache statistics, typed events, metrics, an invalidation bus)
 * derives its own view from.
 *
 * <ul>
 *   <li>Exactly one record per committed change; a compute that a remote layer retried records
 *       only its last attempt.
 *   <li>Records of one operation are delivered together, in the order the operation made them,
 *       after every layer lock is released.
 *   <li>Values are the cache's stored instances: an observer that hands them to user code copies
 *       them first when the cache stores by value.
 * </ul>
 *
 * @param type     what happened
 * @param key      the key; null for {@link Type#CLEARED} and {@link Type#TAG_INVALIDATED}
 * @param oldValue the value replaced, removed, expired or evicted; null when there was none
 * @param newValue the value stored; null when none was
 * @param tags     the tags of the stored entry, empty otherwise
 * @param detail   the tag of {@link Type#TAG_INVALIDATED}, the layer of {@link Type#EVICTED}, else null
 * @param origin   which kind of operation made the change
 * @param stored   the entry stored by a {@link Type#CREATED} or {@link Type#UPDATED} change (with its
 *                 expiry and write stamp, for observers that copy it elsewhere, as a bus priming
 *                 other instances does); null otherwise
 * @param stamp    the write stamp of a {@link Type#TAG_INVALIDATED} change's barrier ({@link WriteClock}),
 *                 0 for other changes
 * @param <K>      the key type
 * @param <V>      the value type
 */
public record Change<K, V>(Type type, @Nullable K key, @Nullable V oldValue, @Nullable V newValue, Set<String> tags,
    @Nullable String detail, Origin origin, @Nullable StoredEntry<V> stored, long stamp) {

  /** What happened. */
  public enum Type {
    /** A value was stored where no live entry was. */
    CREATED,
    /** A live value was replaced. */
    UPDATED,
    /**
     * A value was stored without reading what it replaced (a plain put when no observer needs
     * the previous value): created or updated, unknown.
     */
    WRITTEN,
    /**
     * A live value was replaced by one whose expiry policy made it expire at once: the entry is
     * gone. JCache reports an update followed by an expiry.
     */
    UPDATED_AND_EXPIRED,
    /** A live entry was removed by an operation. */
    REMOVED,
    /** An entry was found past its expiry and dropped, by a read or by the layer itself. */
    EXPIRED,
    /** The authoritative layer dropped a live entry to stay within its size bound. */
    EVICTED,
    /** A loader's "not found" was remembered (negative caching); invisible through JCache. */
    NOT_FOUND_STORED,
    /** Every entry of the cache was dropped. */
    CLEARED,
    /** Every entry carrying a tag, written before now, was invalidated. */
    TAG_INVALIDATED,
    /**
     * The shared layer's copy of a key was deleted because this instance changed the key while
     * the shared layer was unreachable (graceful mode): the copy there predates that change. Also
     * recorded when a change of the key failed on the shared layer in strict mode, which may still
     * have applied it. Other instances must drop their copies either way. Not a change of the
     * cache's content as this instance sees it: JCache listeners, statistics and events ignore it.
     */
    SHARED_COPY_DROPPED,
    /** Every entry whose String key matched a glob (the {@code detail}) was deleted. */
    PATTERN_DELETED
  }

  /** Which kind of operation made a change. */
  public enum Origin {
    /** A write, remove or clear by the application. */
    WRITE,
    /** A value (or "not found") stored by a load after a miss. */
    LOAD,
    /** A value stored by a background refresh. */
    REFRESH,
    /** A removal that does not call the cache writer ({@code LayerCache.invalidate}). */
    INVALIDATE,
    /** An expiry or eviction decided by the cache, not asked for. */
    HOUSEKEEPING
  }

  /** Validates the record. */
  public Change {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(origin, "origin");
  }

  /** The entry {@code stored} where no live entry was. */
  public static <K, V> Change<K, V> created(K key, StoredEntry<V> stored, Origin origin) {
    return new Change<>(Type.CREATED, key, null, stored.value(), stored.tags(), null, origin, stored, 0L);
  }

  /** A live value replaced by the entry {@code stored}. */
  public static <K, V> Change<K, V> updated(K key, V oldValue, StoredEntry<V> stored, Origin origin) {
    return new Change<>(Type.UPDATED, key, oldValue, stored.value(), stored.tags(), null, origin, stored, 0L);
  }

  /** A value stored over whatever was there, unread. */
  public static <K, V> Change<K, V> written(K key, V value, Set<String> tags) {
    return new Change<>(Type.WRITTEN, key, null, value, tags, null, Origin.WRITE, null, 0L);
  }

  /** A live value replaced by one that expired at once. */
  public static <K, V> Change<K, V> updatedAndExpired(K key, V oldValue, V value, Origin origin) {
    return new Change<>(Type.UPDATED_AND_EXPIRED, key, oldValue, value, Set.of(), null, origin, null, 0L);
  }

  /** A live entry removed. */
  public static <K, V> Change<K, V> removed(K key, V oldValue, Origin origin) {
    return new Change<>(Type.REMOVED, key, oldValue, null, Set.of(), null, origin, null, 0L);
  }

  /** An entry dropped past its expiry. */
  public static <K, V> Change<K, V> expired(K key, V oldValue) {
    return new Change<>(Type.EXPIRED, key, oldValue, null, Set.of(), null, Origin.HOUSEKEEPING, null, 0L);
  }

  /** A live entry the authoritative {@code layer} dropped for its size bound. */
  public static <K, V> Change<K, V> evicted(K key, V oldValue, String layer) {
    return new Change<>(Type.EVICTED, key, oldValue, null, Set.of(), layer, Origin.HOUSEKEEPING, null, 0L);
  }

  /** A remembered "not found". */
  public static <K, V> Change<K, V> notFoundStored(K key) {
    return new Change<>(Type.NOT_FOUND_STORED, key, null, null, Set.of(), null, Origin.LOAD, null, 0L);
  }

  /** The whole cache cleared. */
  public static <K, V> Change<K, V> cleared() {
    return new Change<>(Type.CLEARED, null, null, null, Set.of(), null, Origin.WRITE, null, 0L);
  }

  /** Entries carrying {@code tag} written before the barrier {@code stamp} invalidated. */
  public static <K, V> Change<K, V> tagInvalidated(String tag, long stamp) {
    return new Change<>(Type.TAG_INVALIDATED, null, null, null, Set.of(), tag, Origin.WRITE, null, stamp);
  }

  /** The entries matching {@code glob} deleted. */
  public static <K, V> Change<K, V> patternDeleted(String glob) {
    return new Change<>(Type.PATTERN_DELETED, null, null, null, Set.of(), glob, Origin.INVALIDATE, null, 0L);
  }

  /** The shared layer's outdated copy of {@code key} dropped after an outage. */
  public static <K, V> Change<K, V> sharedCopyDropped(K key) {
    return new Change<>(Type.SHARED_COPY_DROPPED, key, null, null, Set.of(), null, Origin.HOUSEKEEPING, null, 0L);
  }

  /** True for a change that stored a value (created or updated, also when it expired at once). */
  public boolean isPut() {
    return type == Type.CREATED || type == Type.UPDATED || type == Type.WRITTEN || type == Type.UPDATED_AND_EXPIRED;
  }
}
