package io.layercache.bus;

/** Why a received message was dropped; each reason is counted ({@link BusStatistics}). */
public enum BusRejection {
  /** Longer than {@code bus.max-message-bytes}. */
  TOO_LARGE,
  /** Not a LayerCache bus message (wrong magic bytes). */
  FOREIGN,
  /** A format version this instance does not read. */
  UNKNOWN_VERSION,
  /** Truncated, inconsistent or otherwise unreadable. */
  MALFORMED,
  /**
   * Unsigned while {@code bus.signing.required}; or a {@code SET} (a value to serve) that this
   * instance could not verify, whose key is then only invalidated.
   */
  UNSIGNED,
  /** Signed under a key id this instance does not know. */
  UNKNOWN_KEY,
  /** The signature does not match the content. */
  BAD_SIGNATURE,
  /** Older than the replay window, or from the future beyond it. */
  REPLAYED,
  /** A sequence number already seen from its source. */
  DUPLICATE,
  /** For a cache this instance does not have (counted, harmless). */
  UNKNOWN_CACHE,
  /** A key the codec refuses or of the wrong type. */
  BAD_KEY,
  /** A primed value the codec refuses. */
  BAD_VALUE
}
