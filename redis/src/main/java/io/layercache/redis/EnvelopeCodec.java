package io.layercache.redis;

import io.layercache.layer.StoredEntry;

/**
 * What the Redis layer needs from the value codec: entries to envelope bytes and back, and keys
 * to canonical bytes and back. Decoding never throws for bad bytes.
 *
 * @param <V> the value type
 */
interface EnvelopeCodec<V> {

  /**
   * The envelope of {@code entry}, bound to {@code keyDigestSource} (the entry's Redis key).
   *
   * @return the bytes, or null when the value is larger than the configured maximum
   * @throws IllegalArgumentException when the value's class is not allowed by the codec
   */
  byte[] encode(StoredEntry<V> entry, byte[] keyDigestSource);

  /** The entry of {@code bytes}, or null when they are not a valid envelope for this key (reason reported). */
  StoredEntry<V> decode(byte[] bytes, byte[] keyDigestSource, RejectionSink sink);

  /** Canonical bytes of a key that is not a String, Integer or Long. */
  byte[] keyToBytes(Object key);

  /** The key of canonical bytes. */
  Object keyFromBytes(byte[] bytes);

  /** Receives why bytes were rejected. */
  @FunctionalInterface
  interface RejectionSink {
    /** Called once per rejected payload with a short reason such as {@code BAD_MAGIC}. */
    void rejected(String reason);
  }
}
