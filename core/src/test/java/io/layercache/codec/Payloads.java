package io.layercache.codec;

import com.esotericsoftware.kryo.io.Output;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Builds hand-made payloads and envelopes for the bad-input tests. */
final class Payloads {

  static final long DIGEST = KeyDigest.forCache("test:cache:v1").of(new byte[] {1, 2, 3});

  /** Kryo class ids as written on the wire (registration id + 2). */
  static final int WIRE_NAME = 1;
  static final int WIRE_STRING = 1 + 2;
  static final int WIRE_BYTES = 10 + 2;
  static final int WIRE_INTS = 13 + 2;
  static final int WIRE_STRINGS = 18 + 2;
  static final int WIRE_OBJECTS = 19 + 2;
  static final int WIRE_ARRAY_LIST = 40 + 2;
  static final int WIRE_HASH_MAP = 42 + 2;
  static final int WIRE_SET_N = 59 + 2;

  private Payloads() {}

  /** Kryo-level bytes written with Kryo's own varint/string encoders. */
  static byte[] kryo(Consumer<Output> writer) {
    Output output = new Output(64, -1);
    writer.accept(output);
    return output.toBytes();
  }

  /** A valid, uncompressed envelope (right lengths, checksum and digest) around any payload. */
  static byte[] envelope(byte[] payload) {
    return Envelope.write(0, 1_000L, 2_000L, DIGEST, new byte[0][], payload.length, payload,
        payload.length);
  }

  /** A valid envelope claiming an LZ4 payload of {@code uncompressedLength}. */
  static byte[] lz4Envelope(byte[] storedPayload, int uncompressedLength) {
    return Envelope.write(Envelope.FLAG_LZ4, 1_000L, 2_000L, DIGEST, new byte[0][],
        uncompressedLength, storedPayload, storedPayload.length);
  }

  /** Recomputes the checksum after a test changed some bytes. */
  static byte[] reseal(byte[] envelope) {
    int at = envelope.length - Envelope.CHECKSUM_BYTES;
    ByteBuffer.wrap(envelope).putInt(at, Envelope.checksum(envelope, at));
    return envelope;
  }

  /** Where the payload starts in an envelope without tags. */
  static int payloadOffset() {
    return Envelope.FIXED_HEADER_BYTES + Envelope.LENGTHS_BYTES;
  }

  /** Bytes allocated by the current thread so far (HotSpot). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
