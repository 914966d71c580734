package io.layercache.codec;

import io.layercache.layer.StoredEntry;
import java.util.Set;

/**
 * Turns a {@link StoredEntry} into the bytes a remote layer stores, and back. The remote layer
 * owns the key; the codec binds each envelope to it through a {@link KeyDigest}, so bytes found
 * under one key are never served for another (see docs/guarantees.md, security rule S8).
 *
 * <ul>
 *   <li>{@link #decode} never throws for bad bytes: foreign, corrupt, truncated, hostile or
 *       misplaced data is a {@link DecodeResult.Rejected} with a {@link RejectReason}, which the
 *       caller treats as a miss and counts.
 *   <li>{@link #encode} refuses values the codec could not read back: classes outside the
 *       allow-list ({@link IllegalArgumentException} naming the class and the setting) and
 *       values over the size limits ({@link ValueTooLargeException}).
 * </ul>
 *
 * <p>Implementations are thread-safe.
 *
 * @param <V> the value type
 */
public interface EntryCodec<V> {

  /**
   * Encodes an entry for the key whose digest is {@code keyDigest}.
   *
   * @throws IllegalArgumentException when the value holds a class that is neither registered nor
   *                                  allowed, nests deeper than {@code codec.max-depth} (or is
   *                                  cyclic), or the entry has more than 64 tags or a tag above
   *                                  1 KiB
   * @throws ValueTooLargeException   when the envelope would exceed {@code codec.max-value-bytes}
   *                                  or the payload {@code codec.max-decompressed-bytes}
   */
  default byte[] encode(long keyDigest, StoredEntry<V> entry) {
    return encodeWithStats(keyDigest, entry).bytes();
  }

  /** As {@link #encode}, also returning sizes and timing. */
  Encoded encodeWithStats(long keyDigest, StoredEntry<V> entry);

  /**
   * The sizes a value would have in L2, for tuning limits and thresholds: an eternal, untagged
   * entry under an arbitrary key.
   *
   * @throws IllegalArgumentException and {@link ValueTooLargeException} as {@link #encode}
   */
  default EncodeStats serializeWithStats(V value) {
    return encodeWithStats(0L, StoredEntry.of(value, StoredEntry.ETERNAL, 0L, Set.of())).stats();
  }

  /**
   * Decodes bytes read under the key whose digest is {@code expectedKeyDigest}. Never throws for
   * bad bytes.
   */
  DecodeResult<V> decode(byte[] bytes, long expectedKeyDigest);

  /** The settings in force. */
  CodecSettings settings();

  /** An encoded envelope and what producing it took. */
  record Encoded(byte[] bytes, EncodeStats stats) {}
}
