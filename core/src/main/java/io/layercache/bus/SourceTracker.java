package io.layercache.bus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The last sequence number seen from each other instance (source and incarnation): drops
 * duplicates, and finds holes, which mean messages were lost.
 *
 * <p>A source seen for the first time with a sequence above 1 is {@link Order#FIRST}: normal when
 * this instance just joined (its memory layers were empty while it missed those messages), a gap
 * when the source was silent longer than the replay window and forgotten; the hub tells which.
 */
final class SourceTracker {

  /** How a message's sequence relates to what was seen from its source. */
  enum Order {
    /** The next one expected. */
    NEXT,
    /** The first seen from a source, which had sent others before (this instance joined later). */
    FIRST,
    /** Seen before (a redelivery or a replay). */
    DUPLICATE,
    /** One or more messages before it are missing. */
    GAP,
    /** Further ahead than any real sender can get: refused, the source's sequence unchanged. */
    IMPLAUSIBLE
  }

  private record Source(String name, long incarnation) {}

  private static final class Last {
    long sequence;
    volatile long seenNanos = System.nanoTime();
  }

  private final Cache<Source, Last> sources;
  private final long maxJump;

  /**
   * @param maxJump the largest sequence step accepted from a known source: a real sender skips at
   *                most what its retry queue dropped; a larger jump would let one forged message
   *                make every later real message a "duplicate"
   */
  SourceTracker(int maxSources, Duration forgetAfter, long maxJump) {
    this.sources = Caffeine.newBuilder().maximumSize(maxSources).expireAfterAccess(forgetAfter).build();
    this.maxJump = maxJump;
  }

  /** Records {@code sequence} from the source and says how it follows the last one. */
  Order observe(String name, long incarnation, long sequence) {
    Last last = sources.get(new Source(name, incarnation), s -> new Last());
    synchronized (last) {
      long previous = last.sequence;
      if (sequence <= previous) {
        return Order.DUPLICATE;
      }
      if (previous != 0 && sequence - previous > maxJump) {
        return Order.IMPLAUSIBLE;
      }
      last.sequence = sequence;
      last.seenNanos = System.nanoTime();
      if (sequence == previous + 1) {
        return Order.NEXT;
      }
      return previous == 0 ? Order.FIRST : Order.GAP;
    }
  }

  /** Forgets a source that said it leaves (a clean shutdown). */
  void forget(String name, long incarnation) {
    sources.invalidate(new Source(name, incarnation));
  }

  /**
   * Forgets the sources not heard from for {@code silence} and returns their names: their
   * messages may be getting lost (refused, or never sent), so the caller repairs.
   */
  java.util.List<String> forgetSilent(Duration silence) {
    long now = System.nanoTime();
    java.util.List<String> silent = new java.util.ArrayList<>();
    sources.asMap().forEach((source, last) -> {
      if (now - last.seenNanos > silence.toNanos() && sources.asMap().remove(source, last)) {
        silent.add(source.name());
      }
    });
    return silent;
  }
}
