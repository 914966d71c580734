package io.layercache.bus;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message on the invalidation bus.
 *
 * @param source      the sending instance's name ({@link BusSettings#source()})
 * @param incarnation random per hub start: tells a restarted instance from a replay of its past
 * @param sequence    per (source, incarnation), from 1, without holes unless messages were lost
 * @param timestamp   when it was sent, epoch milliseconds (replay window)
 * @param action      what to do
 * @param cache       the cache it concerns; empty for {@link Action#HEARTBEAT}
 * @param stamp       the write stamp of a {@link Action#TAG} barrier; 0 otherwise
 * @param items       keys in the codec's bytes ({@link Action#DELETE}, one for {@link Action#SET}),
 *                    the tag or the pattern in UTF-8 ({@link Action#TAG}, {@link Action#PATTERN})
 * @param value       the encoded entry of {@link Action#SET}; null otherwise
 */
public record BusMessage(String source, long incarnation, long sequence, long timestamp, Action action, String cache,
    long stamp, List<byte[]> items, byte @Nullable [] value) {

  /** What a message asks other instances to do with their in-process layers. */
  public enum Action {
    /** Hold this freshly loaded entry where nothing is held (priming). */
    SET(1),
    /** Drop these keys. */
    DELETE(2),
    /** Drop every entry of the cache. */
    CLEAR(3),
    /** Hide entries of a tag written before the stamp. */
    TAG(4),
    /** Drop the keys matching a glob pattern. */
    PATTERN(5),
    /** Nothing: proves the sender's sequence and this instance's subscription alive. */
    HEARTBEAT(6),
    /** The sender is closing: forget it without repairing (its heartbeats stop on purpose). */
    LEAVE(7);

    final int code;

    Action(int code) {
      this.code = code;
    }

    static @Nullable Action of(int code) {
      for (Action action : values()) {
        if (action.code == code) {
          return action;
        }
      }
      return null;
    }
  }

  /** Validates the message. */
  public BusMessage {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(cache, "cache");
    items = List.copyOf(items);
  }
}
