package io.layercache.coordinator;

import io.layercache.layer.StoredEntry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tag invalidation without an index of tagged keys: invalidating a tag records a barrier stamp,
 * and an entry carrying the tag is dead when it was written before that barrier.
 *
 * <ul>
 *   <li>Invalidation costs one map write whatever the number of tagged entries.
 *   <li>Reads of untagged entries cost nothing; tagged entries cost one lookup per tag.
 *   <li>Barriers are kept for the life of the cache (one small entry per invalidated tag) and
 *       dropped by {@link #clear()}; a barrier must outlive every entry it can hide.
 * </ul>
 */
public final class TagBarriers {

  private final ConcurrentHashMap<String, Long> barriers = new ConcurrentHashMap<>();

  /** Records that entries carrying {@code tag} written before {@code stamp} are invalid. */
  public void invalidate(String tag, long stamp) {
    barriers.merge(tag, stamp, Math::max);
  }

  /** True when one of the entry's tags was invalidated after the entry was written. */
  public boolean hides(StoredEntry<?> entry) {
    if (entry.tags().isEmpty() || barriers.isEmpty()) {
      return false;
    }
    for (String tag : entry.tags()) {
      Long barrier = barriers.get(tag);
      if (barrier != null && barrier > entry.writtenAt()) {
        return true;
      }
    }
    return false;
  }

  /** Forgets every barrier (the cache is empty). */
  public void clear() {
    barriers.clear();
  }
}
