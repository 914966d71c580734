package io.layercache.coordinator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops a read that raced an invalidation from copying the old value back into the in-process
 * layers.
 *
 * <p>The race: instance B reads {@code k} from Redis (old value), instance A writes {@code k} and
 * its invalidation reaches B, which drops its memory copy (there is none yet); then B's read
 * completes and backfills the old value into memory, where it would stay until it expires. The
 * same happens within one instance between a remove and a concurrent read. So a read takes a
 * ticket ({@link #open()}) before it reads below the top layer, every invalidation of a key
 * advances the key's epoch, and the backfill is admitted only when no invalidation of its key (or
 * of the whole cache) came after the ticket.
 *
 * <ul>
 *   <li>Recent per-key epochs are kept in a bounded map. When one leaves it (size bound or age),
 *       the floor rises to its epoch: older tickets are refused for every key, which costs a few
 *       skipped backfills and never admits a stale one.
 *   <li>A refused backfill only means the next read goes to the shared layer again.
 * </ul>
 */
final class BackfillFence {

  /** How long a key's invalidation epoch is remembered; far longer than any bounded layer read. */
  static final Duration REMEMBER = Duration.ofMinutes(1);

  private static final int MAX_KEYS = 100_000;

  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong floor = new AtomicLong();
  private volatile long lastInvalidateAllNanos = System.nanoTime() - REMEMBER.toNanos();
  private final Cache<Object, Long> recent = Caffeine.newBuilder()
      .maximumSize(MAX_KEYS)
      .expireAfterWrite(REMEMBER)
      .executor(Runnable::run)
      .removalListener((Object key, Long keyEpoch, RemovalCause cause) -> {
        if (cause.wasEvicted() && keyEpoch != null) {
          raiseFloor(keyEpoch);
          lastInvalidateAllNanos = System.nanoTime(); // what it forgot may be recent: no priming for a while
        }
      })
      .build();

  /** A ticket to present at backfill time; take it before reading the layers below the top. */
  long open() {
    return epoch.get();
  }

  /** Records that {@code key}'s in-process copies were invalidated: earlier tickets may not backfill it. */
  void invalidate(Object key) {
    recent.asMap().merge(key, epoch.incrementAndGet(), Math::max); // never backwards under a race
  }

  /** Records that the whole in-process cache was invalidated: no earlier ticket may backfill. */
  void invalidateAll() {
    lastInvalidateAllNanos = System.nanoTime();
    raiseFloor(epoch.incrementAndGet());
  }

  /** True when a read holding {@code ticket} may copy its entry of {@code key} upwards. */
  boolean admits(Object key, long ticket) {
    if (ticket < floor.get()) {
      return false;
    }
    Long invalidated = recent.getIfPresent(key);
    return invalidated == null || invalidated <= ticket;
  }

  /** True when neither {@code key} nor the whole cache was invalidated within about {@link #REMEMBER}. */
  boolean quiet(Object key) {
    return System.nanoTime() - lastInvalidateAllNanos >= REMEMBER.toNanos() && recent.getIfPresent(key) == null;
  }

  private void raiseFloor(long to) {
    floor.accumulateAndGet(to, Math::max);
  }
}
