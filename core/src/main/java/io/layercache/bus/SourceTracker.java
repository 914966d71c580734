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
    GAP
  }

  private record Source(String name, long incarnation) {}

  private static final class Last {
    long sequence;
  }

  private final Cache<Source, Last> sources;

  SourceTracker(int maxSources, Duration forgetAfter) {
    this.sources = Caffeine.newBuilder().maximumSize(maxSources).expireAfterAccess(forgetAfter).build();
  }

  /** Records {@code sequence} from the source and says how it follows the last one. */
  Order observe(String name, long incarnation, long sequence) {
    Last last = sources.get(new Source(name, incarnation), s -> new Last());
    synchronized (last) {
      long previous = last.sequence;
      if (sequence <= previous) {
        return Order.DUPLICATE;
      }
      last.sequence = sequence;
      if (sequence == previous + 1) {
        return Order.NEXT;
      }
      return previous == 0 ? Order.FIRST : Order.GAP;
    }
  }
}
