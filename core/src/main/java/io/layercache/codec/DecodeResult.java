package io.layercache.codec;

import io.layercache.layer.StoredEntry;
import java.util.Objects;

/**
 * The outcome of {@link EntryCodec#decode}: the entry, or the reason it was refused. Decoding
 * never throws for bad bytes, so a remote layer handles foreign or corrupt data as a miss.
 *
 * @param <V> the value type
 */
public sealed interface DecodeResult<V> {

  /** True when this is a {@link Decoded}. */
  default boolean isDecoded() {
    return this instanceof Decoded;
  }

  /** A stored entry read back. */
  record Decoded<V>(StoredEntry<V> entry) implements DecodeResult<V> {
    /** Validates the result. */
    public Decoded {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * Bytes the codec refused.
   *
   * @param reason the reason, for counters
   * @param detail a short, log-safe description (class names from payloads are shortened and
   *               stripped of control characters)
   */
  record Rejected<V>(RejectReason reason, String detail) implements DecodeResult<V> {
    /** Validates the result. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
