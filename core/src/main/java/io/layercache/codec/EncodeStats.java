package io.layercache.codec;

/**
 * Sizes and cost of one encoding, for sizing {@code codec.*} settings and for metrics.
 *
 * @param rawPayloadBytes    the Kryo payload before compression
 * @param storedPayloadBytes the payload as stored (compressed or not)
 * @param envelopeBytes      the whole envelope, what the remote layer stores
 * @param compressed         whether the payload was LZ4-compressed
 * @param encodeNanos        wall time of the encoding
 */
public record EncodeStats(
    int rawPayloadBytes, int storedPayloadBytes, int envelopeBytes, boolean compressed,
    long encodeNanos) {

  /** Stored payload size over raw payload size: 1.0 when not compressed, lower is better. */
  public double compressionRatio() {
    return rawPayloadBytes == 0 ? 1.0 : (double) storedPayloadBytes / rawPayloadBytes;
  }
}
