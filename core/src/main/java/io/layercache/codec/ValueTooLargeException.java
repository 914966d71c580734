package io.layercache.codec;

/**
 * Thrown by {@link EntryCodec#encode} when a value is too large for the remote layer. The caller
 * decides what that means: by default the entry stays in the local layers only (and is counted),
 * or the write fails when the cache is configured strict.
 */
public final class ValueTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long size;
  private final int limit;
  private final String setting;

  /**
   * @param size    the size reached, in bytes ({@code limit + 1} when encoding stopped at the limit)
   * @param limit   the limit in bytes
   * @param setting the setting holding the limit
   */
  public ValueTooLargeException(long size, int limit, String setting) {
    super("value needs " + (size > limit + 1L ? size + " bytes" : "more than " + limit + " bytes")
        + ", more than " + setting + " = " + limit + "; it is not written to the remote layer");
    this.size = size;
    this.limit = limit;
    this.setting = setting;
  }

  /** The size reached, in bytes; {@code limit() + 1} when encoding stopped at the limit. */
  public long size() {
    return size;
  }

  /** The limit that was exceeded, in bytes. */
  public int limit() {
    return limit;
  }

  /** The setting holding the limit ({@code codec.max-value-bytes} or {@code codec.max-decompressed-bytes}). */
  public String setting() {
    return setting;
  }
}
