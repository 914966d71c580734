package io.layercache.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Reads and writes the envelope around an encoded value; the layout is in
 * {@link KryoEntryCodec}'s class javadoc and {@code docs/envelope-format.md}. All numbers are
 * big-endian.
 *
 * <p>Reading checks, in this order, without allocating anything sized by the input before its
 * check: emptiness and {@code codec.max-value-bytes}; magic, version and codec id (so foreign
 * data never reaches a parser); flags; every length against the bytes that remain; the
 * checksum. Only the tags (at most 64 × 1 KiB) are decoded here; the payload stays in place.
 */
final class Envelope {

  static final byte MAGIC_0 = 'L';
  static final byte MAGIC_1 = 'C';
  /** The format of plain values. */
  static final byte FORMAT_VERSION = 1;
  /**
   * The format of entries with a "not found" or fail-safe mark: readers that know only version 1
   * read them as UNSUPPORTED_VERSION (a miss, left in place) during a rolling upgrade.
   */
  static final byte FORMAT_VERSION_MARKED = 2;
  static final byte CODEC_KRYO = 1;
  static final int FLAG_LZ4 = 0x01;
  /** A remembered "not found" (negative caching): no payload. */
  static final int FLAG_NOT_FOUND = 0x02;
  /** A last-known-good value cached again by fail-safe. */
  static final int FLAG_FAIL_SAFE = 0x04;
  static final int KNOWN_FLAGS_V1 = FLAG_LZ4;
  static final int KNOWN_FLAGS = FLAG_LZ4 | FLAG_NOT_FOUND | FLAG_FAIL_SAFE;
  static final int MAX_TAGS = 64;
  static final int MAX_TAG_BYTES = 1024;

  /** Magic, version, codec, flags, expireAt, writtenAt, key digest, tag count. */
  static final int FIXED_HEADER_BYTES = 2 + 1 + 1 + 1 + 8 + 8 + 8 + 1;
  /** Uncompressed length and stored length. */
  static final int LENGTHS_BYTES = 4 + 4;
  static final int CHECKSUM_BYTES = 4;
  static final int CHECKSUM_SEED = 0x4C43_0001;

  private static final XXHash32 XXH32 = XXHashFactory.fastestJavaInstance().hash32();
  private static final byte[][] NO_TAGS = new byte[0][];

  private Envelope() {}

  /** A parsed envelope header; the payload is {@code bytes[payloadOffset, +storedLength)}. */
  record Header(int flags, long expireAt, long writtenAt, long keyDigest, Set<String> tags,
                int uncompressedLength, int payloadOffset, int storedLength) {
    boolean compressed() {
      return (flags & FLAG_LZ4) != 0;
    }
  }

  /** A refusal while parsing; cheap (no stack trace) because hostile input may be frequent. */
  static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    Rejection(RejectReason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }

    RejectReason reason() {
      return reason;
    }
  }

  // ---- writing ----

  /**
   * The tags as UTF-8, sorted so equal entries give equal bytes.
   *
   * @throws IllegalArgumentException when there are more than 64 tags or a tag exceeds 1 KiB
   */
  static byte[][] encodeTags(Set<String> tags) {
    if (tags.isEmpty()) {
      return NO_TAGS;
    }
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException("an entry stored in L2 has at most " + MAX_TAGS
          + " tags, this one has " + tags.size());
    }
    String[] sorted = tags.toArray(String[]::new);
    for (String tag : sorted) {
      if (tag == null) {
        throw new IllegalArgumentException("an entry stored in L2 cannot have a null tag");
      }
    }
    Arrays.sort(sorted);
    byte[][] encoded = new byte[sorted.length][];
    for (int i = 0; i < sorted.length; i++) {
      encoded[i] = sorted[i].getBytes(StandardCharsets.UTF_8);
      if (encoded[i].length > MAX_TAG_BYTES) {
        throw new IllegalArgumentException("an entry stored in L2 has tags of at most "
            + MAX_TAG_BYTES + " UTF-8 bytes, one has " + encoded[i].length);
      }
    }
    return encoded;
  }

  /** The size of an envelope with these tags and this stored payload length. */
  static long size(byte[][] tags, int storedLength) {
    long size = FIXED_HEADER_BYTES + LENGTHS_BYTES + (long) storedLength + CHECKSUM_BYTES;
    for (byte[] tag : tags) {
      size += 2 + tag.length;
    }
    return size;
  }

  /** Writes an envelope of exactly {@link #size} bytes. */
  static byte[] write(int flags, long expireAt, long writtenAt, long keyDigest, byte[][] tags,
      int uncompressedLength, byte[] payload, int storedLength) {
    byte[] out = new byte[Math.toIntExact(size(tags, storedLength))];
    ByteBuffer buf = ByteBuffer.wrap(out);
    byte version = (flags & ~KNOWN_FLAGS_V1) == 0 ? FORMAT_VERSION : FORMAT_VERSION_MARKED;
    buf.put(MAGIC_0).put(MAGIC_1).put(version).put(CODEC_KRYO).put((byte) flags)
        .putLong(expireAt).putLong(writtenAt).putLong(keyDigest).put((byte) tags.length);
    for (byte[] tag : tags) {
      buf.putShort((short) tag.length).put(tag);
    }
    buf.putInt(uncompressedLength).putInt(storedLength).put(payload, 0, storedLength);
    buf.putInt(checksum(out, out.length - CHECKSUM_BYTES));
    return out;
  }

  static int checksum(byte[] bytes, int length) {
    return XXH32.hash(bytes, 0, length, CHECKSUM_SEED);
  }

  // ---- reading ----

  /** Parses and checks everything but the key digest and the payload. */
  static Header parse(byte[] bytes, byte expectedCodec, int maxEnvelopeBytes,
      int maxDecompressedBytes) throws Rejection {
    checkSizeAndMagic(bytes, maxEnvelopeBytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    need(buf, 3, "format version");
    buf.position(2);
    byte version = buf.get();
    if (version != FORMAT_VERSION && version != FORMAT_VERSION_MARKED) {
      throw new Rejection(RejectReason.UNSUPPORTED_VERSION, "format version " + version
          + ", this codec reads " + FORMAT_VERSION + " and " + FORMAT_VERSION_MARKED);
    }
    need(buf, 1, "codec id");
    byte codec = buf.get();
    if (codec != expectedCodec) {
      throw new Rejection(RejectReason.CODEC_MISMATCH, "written by codec " + codec
          + ", configured codec is " + expectedCodec);
    }
    need(buf, FIXED_HEADER_BYTES - 4, "header");
    int flags = buf.get() & 0xFF;
    if ((flags & ~(version == FORMAT_VERSION ? KNOWN_FLAGS_V1 : KNOWN_FLAGS)) != 0) {
      throw new Rejection(RejectReason.CORRUPT, "unknown flags " + Integer.toHexString(flags));
    }
    long expireAt = buf.getLong();
    long writtenAt = buf.getLong();
    long keyDigest = buf.getLong();
    Set<String> tags = readTags(buf);
    need(buf, LENGTHS_BYTES, "payload lengths");
    int uncompressedLength = buf.getInt();
    int storedLength = buf.getInt();
    checkLengths(flags, uncompressedLength, storedLength, maxDecompressedBytes);
    int payloadOffset = buf.position();
    checkPayloadAndChecksum(bytes, buf, payloadOffset, storedLength);
    return new Header(flags, expireAt, writtenAt, keyDigest, tags, uncompressedLength,
        payloadOffset, storedLength);
  }

  /** Empty, oversized or foreign bytes (not our magic) are refused before anything is parsed. */
  private static void checkSizeAndMagic(byte[] bytes, int maxEnvelopeBytes) throws Rejection {
    if (bytes == null || bytes.length == 0) {
      throw new Rejection(RejectReason.EMPTY, "no bytes");
    }
    if (bytes.length > maxEnvelopeBytes) {
      throw new Rejection(RejectReason.TOO_LARGE, bytes.length
          + " bytes, more than codec.max-value-bytes = " + maxEnvelopeBytes);
    }
    if (bytes[0] != MAGIC_0 || (bytes.length > 1 && bytes[1] != MAGIC_1)) {
      throw new Rejection(RejectReason.BAD_MAGIC, String.format("starts with %02x%s", bytes[0],
          bytes.length > 1 ? String.format("%02x", bytes[1]) : ""));
    }
  }

  /** The payload must fill the rest exactly, up to the checksum, and the checksum must match. */
  private static void checkPayloadAndChecksum(byte[] bytes, ByteBuffer buf, int payloadOffset, int storedLength)
      throws Rejection {
    if (buf.remaining() < (long) storedLength + CHECKSUM_BYTES) {
      throw new Rejection(RejectReason.TRUNCATED, "payload of " + storedLength + " bytes and "
          + "checksum expected, " + buf.remaining() + " bytes remain");
    }
    if (buf.remaining() > (long) storedLength + CHECKSUM_BYTES) {
      throw new Rejection(RejectReason.CORRUPT, (buf.remaining() - storedLength - CHECKSUM_BYTES)
          + " bytes after the checksum");
    }
    int checksumAt = payloadOffset + storedLength;
    if (checksum(bytes, checksumAt) != buf.getInt(checksumAt)) {
      throw new Rejection(RejectReason.CHECKSUM_MISMATCH, "checksum does not match");
    }
  }

  private static void checkLengths(int flags, int uncompressedLength, int storedLength,
      int maxDecompressedBytes) throws Rejection {
    if ((flags & FLAG_NOT_FOUND) != 0) {
      if (flags != FLAG_NOT_FOUND || uncompressedLength != 0 || storedLength != 0) {
        throw new Rejection(RejectReason.CORRUPT, "a not-found entry with a payload or other flags");
      }
      return;
    }
    if (uncompressedLength <= 0 || storedLength <= 0) {
      throw new Rejection(RejectReason.CORRUPT, "payload lengths " + uncompressedLength + "/"
          + storedLength + " are not positive");
    }
    if (uncompressedLength > maxDecompressedBytes) {
      throw new Rejection(RejectReason.TOO_LARGE, "payload declares " + uncompressedLength
          + " bytes, more than codec.max-decompressed-bytes = " + maxDecompressedBytes);
    }
    if ((flags & FLAG_LZ4) == 0 && storedLength != uncompressedLength) {
      throw new Rejection(RejectReason.CORRUPT, "uncompressed payload with two lengths "
          + uncompressedLength + "/" + storedLength);
    }
  }

  private static Set<String> readTags(ByteBuffer buf) throws Rejection {
    int count = buf.get() & 0xFF;
    if (count == 0) {
      return Set.of();
    }
    if (count > MAX_TAGS) {
      throw new Rejection(RejectReason.CORRUPT, count + " tags, at most " + MAX_TAGS);
    }
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < count; i++) {
      need(buf, 2, "tag length");
      int length = buf.getShort() & 0xFFFF;
      if (length > MAX_TAG_BYTES) {
        throw new Rejection(RejectReason.CORRUPT, "tag of " + length + " bytes, at most "
            + MAX_TAG_BYTES);
      }
      need(buf, length, "tag");
      ByteBuffer tag = buf.slice().limit(length);
      buf.position(buf.position() + length);
      try {
        CharBuffer chars = decoder.decode(tag);
        if (!tags.add(chars.toString())) {
          throw new Rejection(RejectReason.CORRUPT, "duplicate tag");
        }
      } catch (CharacterCodingException e) {
        throw new Rejection(RejectReason.CORRUPT, "tag is not valid UTF-8");
      }
    }
    return Set.copyOf(tags);
  }

  private static void need(ByteBuffer buf, int bytes, String what) throws Rejection {
    if (buf.remaining() < bytes) {
      throw new Rejection(RejectReason.TRUNCATED, what + " needs " + bytes + " bytes, "
          + buf.remaining() + " remain");
    }
  }
}
