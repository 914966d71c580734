package io.layercache.codec;

/**
 * Why {@link EntryCodec#decode} refused a stored value. Every reason means "treat as a miss";
 * the reason is for the {@code decode_errors{reason}} counter and for logs.
 */
public enum RejectReason {
  /** Null or zero-length bytes. */
  EMPTY,
  /**
   * More bytes than {@code codec.max-value-bytes}, or a payload declaring more than
   * {@code codec.max-decompressed-bytes}.
   */
  TOO_LARGE,
  /** Not an envelope: the first two bytes are not {@code "LC"} (a Java serialization stream, foreign data). */
  BAD_MAGIC,
  /** An envelope format version this codec does not read. */
  UNSUPPORTED_VERSION,
  /** Written by another codec than the configured one; the codec is never switched to match. */
  CODEC_MISMATCH,
  /** Shorter than its header or its declared lengths. */
  TRUNCATED,
  /** The envelope's checksum does not match its bytes. */
  CHECKSUM_MISMATCH,
  /** A valid envelope written for another key, cache or namespace. */
  KEY_MISMATCH,
  /** The payload names a class that is neither registered nor allowed (never loaded). */
  CLASS_NOT_ALLOWED,
  /** The payload nests deeper than {@code codec.max-depth}. */
  TOO_DEEP,
  /** The LZ4 block is invalid or does not expand to its declared length. */
  DECOMPRESSION_FAILED,
  /** Any other inconsistency: bad header fields, declared lengths beyond the payload, Kryo errors. */
  CORRUPT,
  /** The decoded value is not an instance of the cache's value type. */
  TYPE_MISMATCH
}
