package io.layercache.coordinator;

import io.layercache.TagSettings;
import io.layercache.TimeSource;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.TagTimestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Tag invalidation without an index of tagged keys: invalidating a tag records a barrier stamp,
 * and an entry carrying the tag is dead when it was written before that barrier.
 *
 * <p>With a shared layer that keeps {@link TagTimestamps} (Redis), the barrier's home is that
 * layer: invalidating raises it there, so every instance, and every instance started later, hides
 * the same entries. This class is then a local cache of the stamps read from it: a tag this
 * instance does not know, or whose copy is older than {@code tags.refresh-interval}, is read again
 * (the entry's due tags in one call) before the entry is judged. Without such a layer, barriers are
 * this instance's alone, as they were before.
 *
 * <ul>
 *   <li>Invalidation costs one shared write (a max-set) and one map write, whatever the number of
 *       tagged entries.
 *   <li>Reads of untagged entries cost nothing; tagged entries cost one map lookup per tag and a
 *       clock read, plus one shared read per refresh interval for tags in use. Tags known to have
 *       no barrier are cached too. While one reader refreshes a known tag, the others go on with
 *       the copy (one round trip older at most).
 *   <li>Shared calls go through the layer's accessor, so its circuit breaker applies. A failure in
 *       strict mode fails the operation; in graceful mode an invalidation is kept locally and a
 *       refresh goes on with the local stamps until the next interval; both are counted in the
 *       layer's diagnostics.
 *   <li>Local copies confirmed by the shared layer are dropped once stale when the map grows past
 *       {@value #SWEEP_ABOVE} tags (they are read again when needed); stamps known only here are
 *       kept. {@link #clear()} forgets every local copy; the shared stamps stay, for the other
 *       instances' copies of the entries.
 * </ul>
 */
public final class TagBarriers {

  /** The number of locally known tags above which stale shared copies are dropped. */
  static final int SWEEP_ABOVE = 10_000;
  private static final long NEVER = Long.MIN_VALUE;

  /**
   * What this instance knows of one tag.
   *
   * @param stamp     the newest barrier known here (0: none)
   * @param shared    the newest barrier read from or stored in the shared layer
   * @param checkedAt when the shared layer was last read (or claimed for reading), {@link #NEVER} if not
   */
  private record Barrier(long stamp, long shared, long checkedAt) {
    Barrier merge(Barrier other) {
      return new Barrier(Math.max(stamp, other.stamp), Math.max(shared, other.shared), Math.max(checkedAt, other.checkedAt));
    }
  }

  private final ConcurrentHashMap<String, Barrier> barriers = new ConcurrentHashMap<>();
  private final @Nullable LayerAccessor<?, ?> sharedLayer;
  private final @Nullable TagTimestamps shared;
  private final TimeSource time;
  private final long refreshMillis;
  private final boolean graceful;
  private volatile long lastSweep;

  /** Barriers of this instance alone (no shared layer keeps tag timestamps). */
  public TagBarriers() {
    this(null, TagSettings.defaults(), TimeSource.SYSTEM, false);
  }

  /**
   * @param sharedLayer the shared layer whose tag timestamps hold the barriers, or null for local barriers
   * @param graceful    true in graceful mode: a failed shared call falls back to the local stamps
   */
  public TagBarriers(@Nullable LayerAccessor<?, ?> sharedLayer, TagSettings settings, TimeSource time,
      boolean graceful) {
    this.sharedLayer = sharedLayer;
    this.shared = sharedLayer == null ? null : sharedLayer.tagTimestamps();
    this.time = time;
    this.refreshMillis = settings.refreshMillis();
    this.graceful = graceful;
  }

  /** True when barriers live in a shared layer, not in this instance alone. */
  public boolean isShared() {
    return shared != null;
  }

  /**
   * Records that entries carrying {@code tag} written before {@code stamp} are invalid: in the
   * shared layer first (strict mode fails here, changing nothing), then here.
   */
  public void invalidate(String tag, long stamp) {
    if (shared == null) {
      invalidateLocally(tag, stamp);
      return;
    }
    long checkedAt = now();
    long stored;
    try {
      stored = shared.raise(tag, stamp);
    } catch (LayerUnavailableException e) {
      if (!graceful) {
        throw e;
      }
      sharedLayer.countLocalOnlyTagInvalidation();
      invalidateLocally(tag, stamp);
      return;
    }
    barriers.merge(tag, new Barrier(stored, stored, checkedAt), Barrier::merge);
  }

  /**
   * Raises the barrier of {@code tag} here only (another instance's invalidation, or one the
   * shared layer could not store). It does not count as a read of the shared layer: the next read
   * of a stale or unknown tag still asks it.
   */
  public void invalidateLocally(String tag, long stamp) {
    barriers.merge(tag, new Barrier(stamp, 0, NEVER), Barrier::merge);
  }

  /**
   * True when one of the entry's tags was invalidated after the entry was written. May read the
   * shared layer (see the class comment); in strict mode its failure is thrown.
   */
  public boolean hides(StoredEntry<?> entry) {
    // kept this small so the untagged hit path inlines it and pays one emptiness check
    return !entry.tags().isEmpty() && hidesTagged(entry);
  }

  private boolean hidesTagged(StoredEntry<?> entry) {
    if (shared == null) {
      return !barriers.isEmpty() && hiddenByKnown(entry);
    }
    long now = now();
    List<String> due = null;
    for (String tag : entry.tags()) {
      Barrier known = barriers.get(tag);
      if (known != null && known.stamp > entry.writtenAt()) {
        return true; // stamps only grow: no need to ask
      }
      if (isDue(known, now) && (known == null || claim(tag, known, now))) {
        if (due == null) {
          due = new ArrayList<>(entry.tags().size());
        }
        due.add(tag);
      }
    }
    return due != null && refresh(due, now, entry.writtenAt());
  }

  /** Forgets every local copy (the cache is empty); shared stamps stay. */
  public void clear() {
    barriers.clear();
  }

  /** The number of tags known here (for tests of the map's bound). */
  int knownTags() {
    return barriers.size();
  }

  private boolean hiddenByKnown(StoredEntry<?> entry) {
    for (String tag : entry.tags()) {
      Barrier barrier = barriers.get(tag);
      if (barrier != null && barrier.stamp > entry.writtenAt()) {
        return true;
      }
    }
    return false;
  }

  private boolean isDue(@Nullable Barrier known, long now) {
    return known == null || known.checkedAt == NEVER || now - known.checkedAt >= refreshMillis
        || now < known.checkedAt; // the clock went back: do not trust the copy until it catches up
  }

  /**
   * Marks a known, stale tag as being read by this caller, so concurrent readers go on with the
   * copy instead of reading too. False when another caller changed it first (then it is fresh, or
   * only a local raise changed it: read anyway).
   */
  private boolean claim(String tag, Barrier known, long now) {
    if (barriers.replace(tag, known, new Barrier(known.stamp, known.shared, now))) {
      return true;
    }
    return isDue(barriers.get(tag), now);
  }

  /** Reads the due tags' shared stamps, merges them in, and judges the entry by them. */
  private boolean refresh(List<String> due, long startedAt, long writtenAt) {
    long[] stamps;
    try {
      stamps = shared.read(due);
    } catch (LayerUnavailableException e) {
      if (!graceful) {
        unclaim(due, startedAt);
        throw e;
      }
      sharedLayer.countTagRefreshFallback();
      stamps = null; // go on with the local stamps; asked again after the interval
    }
    boolean hidden = false;
    for (int i = 0; i < due.size(); i++) {
      long read = stamps == null ? 0 : stamps[i];
      Barrier merged = barriers.merge(due.get(i), new Barrier(read, stamps == null ? 0 : read, startedAt),
          Barrier::merge);
      hidden |= merged.stamp > writtenAt;
    }
    sweepIfLarge(startedAt);
    return hidden;
  }

  /** Strict mode, after a failed read: the claimed tags are due again for the next reader. */
  private void unclaim(List<String> due, long startedAt) {
    for (String tag : due) {
      barriers.computeIfPresent(tag, (t, b) -> b.checkedAt == startedAt ? new Barrier(b.stamp, b.shared, NEVER) : b);
    }
  }

  /**
   * Bounds the map when many tags are in use: drops stale copies that hold nothing the shared
   * layer does not (read again when needed). At most once per refresh interval (or second).
   */
  private void sweepIfLarge(long now) {
    if (barriers.size() <= SWEEP_ABOVE || now - lastSweep < Math.max(refreshMillis, 1_000)) {
      return;
    }
    lastSweep = now;
    barriers.entrySet().removeIf(e -> isDue(e.getValue(), now) && e.getValue().stamp <= e.getValue().shared);
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
