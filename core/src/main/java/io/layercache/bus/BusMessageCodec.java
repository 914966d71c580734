package io.layercache.bus;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The binary format of bus messages, version 1 (big-endian; documented in
 * docs/invalidation-bus.md):
 *
 * <pre>
 *   magic      3 bytes  'L' 'C' 'B'
 *   version    u8       1
 *   flags      u8       bit 0: signed
 *   source     u8 length + UTF-8
 *   incarnation i64, sequence i64, timestamp i64 (epoch ms)
 *   action     u8       1 SET, 2 DELETE, 3 CLEAR, 4 TAG, 5 PATTERN, 6 HEARTBEAT, 7 LEAVE
 *   cache      u16 length + UTF-8
 *   stamp      i64
 *   items      u16 count, each u32 length + bytes
 *   value      u32 length + bytes (0: none)
 *   [signed]   key id u8 length + UTF-8, then HMAC-SHA256 (32 bytes) of everything before it
 * </pre>
 *
 * <p>{@link #decode} never throws: anything it cannot read is a {@link Result.Rejected}.
 */
public final class BusMessageCodec {

  static final byte[] MAGIC = {'L', 'C', 'B'};
  static final int VERSION = 1;
  private static final int FLAG_SIGNED = 1;
  private static final int MAC_BYTES = 32;
  private static final int MAX_ITEMS = 10_000;
  private static final String HMAC = "HmacSHA256";

  private final BusSettings.Signing signing;
  private final byte[] secret;
  private final byte[] previousSecret;
  private final int maxBytes;

  /** True when this codec signs what it encodes. */
  boolean signs() {
    return secret != null;
  }

  /** A codec signing and checking with {@code signing}, refusing messages over {@code maxBytes}. */
  public BusMessageCodec(BusSettings.Signing signing, int maxBytes) {
    this.signing = signing;
    this.secret = signing.secret();
    this.previousSecret = signing.previousSecret();
    this.maxBytes = maxBytes;
  }

  /** What decoding found: a message, or why there is none. */
  public sealed interface Result {
    /**
     * A well-formed message whose signature, if any, is right.
     *
     * @param verified true when it was signed and this instance checked the signature (it has the
     *                 secret): only then may it carry a value to serve
     */
    record Accepted(BusMessage message, boolean verified) implements Result {}

    /** A message to drop, and why. */
    record Rejected(BusRejection reason) implements Result {}
  }

  /**
   * The bytes of {@code message}, signed when a secret is configured.
   *
   * @throws IllegalArgumentException when the message would exceed the size limit
   */
  public byte[] encode(BusMessage message) {
    byte[] source = utf8(message.source());
    byte[] cache = utf8(message.cache());
    byte[] value = message.value() == null ? new byte[0] : message.value();
    int size = 3 + 1 + 1 + 1 + source.length + 24 + 1 + 2 + cache.length + 8 + 2 + 4 + value.length;
    for (byte[] item : message.items()) {
      size += 4 + item.length;
    }
    byte[] keyId = secret == null ? null : utf8(signing.keyId());
    size += keyId == null ? 0 : 1 + keyId.length + MAC_BYTES;
    if (size > maxBytes || message.items().size() > MAX_ITEMS || source.length > 255 || cache.length > 65_535) {
      throw new IllegalArgumentException("bus message of " + size + " bytes exceeds bus.max-message-bytes (" + maxBytes + ")");
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MAGIC).put((byte) VERSION).put((byte) (keyId == null ? 0 : FLAG_SIGNED));
    out.put((byte) source.length).put(source);
    out.putLong(message.incarnation()).putLong(message.sequence()).putLong(message.timestamp());
    out.put((byte) message.action().code).putShort((short) cache.length).put(cache).putLong(message.stamp());
    out.putShort((short) message.items().size());
    for (byte[] item : message.items()) {
      out.putInt(item.length).put(item);
    }
    out.putInt(value.length).put(value);
    if (keyId != null) {
      out.put((byte) keyId.length).put(keyId);
      out.put(mac(secret, out.array(), out.position()));
    }
    return out.array();
  }

  /** The size a message would have without items and value: what a batch of keys may add to. */
  static int overhead(String source, String cache) {
    return 3 + 1 + 1 + 1 + utf8(source).length + 24 + 1 + 2 + utf8(cache).length + 8 + 2 + 4 + 1 + 64 + MAC_BYTES;
  }

  /** Reads a message; never throws. */
  public Result decode(byte[] bytes) {
    if (bytes.length > maxBytes) {
      return new Result.Rejected(BusRejection.TOO_LARGE);
    }
    if (bytes.length < MAGIC.length + 2 || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]) {
      return new Result.Rejected(BusRejection.FOREIGN);
    }
    if (bytes[3] != VERSION) {
      return new Result.Rejected(BusRejection.UNKNOWN_VERSION);
    }
    try {
      return read(ByteBuffer.wrap(bytes), bytes);
    } catch (BufferUnderflowException | IllegalArgumentException | CharacterCodingException e) {
      return new Result.Rejected(BusRejection.MALFORMED);
    }
  }

  private Result read(ByteBuffer in, byte[] bytes) throws CharacterCodingException {
    in.position(4);
    boolean signed = (in.get() & FLAG_SIGNED) != 0;
    String source = string(in, in.get() & 0xff);
    long incarnation = in.getLong();
    long sequence = in.getLong();
    long timestamp = in.getLong();
    BusMessage.Action action = BusMessage.Action.of(in.get() & 0xff);
    String cache = string(in, in.getShort() & 0xffff);
    long stamp = in.getLong();
    int count = in.getShort() & 0xffff;
    if (action == null || count > MAX_ITEMS) {
      return new Result.Rejected(BusRejection.MALFORMED);
    }
    List<byte[]> items = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      items.add(bytes(in, in.getInt()));
    }
    byte[] value = bytes(in, in.getInt());
    Result.Rejected refused = checkSignature(in, bytes, signed);
    if (refused != null) {
      return refused;
    }
    if (in.hasRemaining()) {
      return new Result.Rejected(BusRejection.MALFORMED);
    }
    BusMessage message = new BusMessage(source, incarnation, sequence, timestamp, action, cache, stamp, items,
        value.length == 0 ? null : value);
    return new Result.Accepted(message, signed && secret != null);
  }

  /** Null when the signature (or its absence) is acceptable, else why not. */
  private Result.@Nullable Rejected checkSignature(ByteBuffer in, byte[] bytes, boolean signed)
      throws CharacterCodingException {
    if (!signed) {
      return signing.required() ? new Result.Rejected(BusRejection.UNSIGNED) : null;
    }
    String keyId = string(in, in.get() & 0xff);
    int signedLength = in.position();
    byte[] mac = bytes(in, MAC_BYTES);
    if (secret == null) {
      return null; // this instance checks no signatures
    }
    byte[] key = keyId.equals(signing.keyId()) ? secret
        : previousSecret != null && keyId.equals(signing.previousKeyId()) ? previousSecret : null;
    if (key == null) {
      return new Result.Rejected(BusRejection.UNKNOWN_KEY);
    }
    return MessageDigest.isEqual(mac, mac(key, bytes, signedLength)) ? null
        : new Result.Rejected(BusRejection.BAD_SIGNATURE);
  }

  private static byte[] mac(byte[] key, byte[] bytes, int length) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update(bytes, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] bytes(ByteBuffer in, int length) {
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("length " + length + " beyond the message");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static String string(ByteBuffer in, int length) throws CharacterCodingException {
    byte[] raw = bytes(in, length);
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
