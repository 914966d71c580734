package io.layercache.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages on a namespace's lease-release channel, and the key that signs the values some
 * of them carry.
 *
 * <p>A plain notice is the released lease key (UTF-8). When other instances were waiting for the
 * load (its lease key's waiters mark is set), the script that stores the loaded value publishes a
 * <em>valued</em> notice instead, so the waiters need not read the entry: {@code 0x00 'V' 0x01},
 * the lease key's length (2 bytes, big-endian), the lease key, the fencing token of the lease
 * the value was loaded under (8 bytes), an HMAC-SHA256 of everything before it followed by the
 * value, then the value (the envelope as stored).
 *
 * <p>A value read from a key is trusted as far as the ACL lets others write that key; a channel
 * may be open to more clients (an {@code allchannels} user), so a notice's value is used only
 * when its HMAC verifies under the namespace's notice key, a random key kept in Redis at
 * {@code <namespace>:lease-notice-key}, and only by a waiter that saw the lease held under that
 * very token: a notice of an earlier load (late, or recorded and replayed) names an older token.
 * Until the key is known, stores publish plain notices and valued ones are heard as plain ones.
 */
final class ReleaseNotices {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseNotices.class);
  /** The largest value a notice carries; a larger one is announced plainly and read by its waiters. */
  static final int MAX_VALUE_BYTES = 16 * 1024;
  private static final byte[] MAGIC = {0, 'V', 1};
  private static final int MAC_BYTES = 32;
  private static final long RETRY_NANOS = 5_000_000_000L;

  private final RBucket<String> keyBucket;
  private final String keyName;
  private volatile @Nullable SecretKeySpec key;
  private volatile long nextAttemptNanos = System.nanoTime();

  /** The notices of {@code namespace}; the notice key is fetched (or made) in the background at once. */
  ReleaseNotices(RedissonClient client, String namespace) {
    this.keyName = namespace + ":lease-notice-key";
    this.keyBucket = client.getBucket(keyName, StringCodec.INSTANCE);
    fetchKey();
  }

  /**
   * The header of a valued notice of {@code leaseKey} for {@code value}, to be followed by the
   * value; empty when no value should travel (too large, or the notice key not known yet).
   */
  byte[] header(String leaseKey, long fence, byte[] value) {
    SecretKeySpec signing = key();
    if (signing == null || value.length > MAX_VALUE_BYTES) {
      return new byte[0];
    }
    byte[] name = leaseKey.getBytes(StandardCharsets.UTF_8);
    int signed = MAGIC.length + 2 + name.length + Long.BYTES;
    ByteBuffer header = ByteBuffer.allocate(signed + MAC_BYTES).put(MAGIC).putShort((short) name.length).put(name)
        .putLong(fence);
    return header.put(mac(signing, header.array(), signed, value, 0)).array();
  }

  /**
   * The lease key a message names (cheap: nothing verified), so a message nobody here waits for
   * costs no more; null for a message that is no notice.
   */
  @Nullable String leaseKeyOf(byte[] message) {
    if (message.length == 0 || message[0] != 0) {
      return new String(message, StandardCharsets.UTF_8);
    }
    int nameLength = nameLength(message);
    return nameLength < 0 ? null : new String(message, MAGIC.length + 2, nameLength, StandardCharsets.UTF_8);
  }

  /** What a message on the channel says, its value verified; null for one that is no notice at all. */
  @Nullable Notice read(byte[] message) {
    String leaseKey = leaseKeyOf(message);
    if (leaseKey == null || message[0] != 0) {
      return leaseKey == null ? null : new Notice(leaseKey, 0, null, false);
    }
    int signed = MAGIC.length + 2 + nameLength(message) + Long.BYTES;
    long fence = ByteBuffer.wrap(message, signed - Long.BYTES, Long.BYTES).getLong();
    int valueAt = signed + MAC_BYTES;
    SecretKeySpec signing = key();
    boolean verified = signing != null && message.length - valueAt <= MAX_VALUE_BYTES && MessageDigest.isEqual(
        Arrays.copyOfRange(message, signed, valueAt), mac(signing, message, signed, message, valueAt));
    return new Notice(leaseKey, fence, verified ? Arrays.copyOfRange(message, valueAt, message.length) : null, !verified);
  }

  /** The lease key's length in a valued notice, or -1 when the message is not one (too short, unknown version). */
  private static int nameLength(byte[] message) {
    if (message.length < MAGIC.length + 2 || !Arrays.equals(message, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return -1;
    }
    int nameLength = ((message[MAGIC.length] & 0xff) << 8) | (message[MAGIC.length + 1] & 0xff);
    return message.length < MAGIC.length + 2 + nameLength + Long.BYTES + MAC_BYTES ? -1 : nameLength;
  }

  /**
   * One notice: the released lease; for a valued one, the token of the lease its value was loaded
   * under and the value when it verified (else 0 and null), and whether a value came that did not
   * verify (heard as a plain notice).
   */
  record Notice(String leaseKey, long fence, byte @Nullable [] value, boolean unverified) {}

  private @Nullable SecretKeySpec key() {
    SecretKeySpec known = key;
    if (known == null && System.nanoTime() - nextAttemptNanos >= 0) {
      fetchKey();
    }
    return known;
  }

  /** Reads the notice key, making it first if no instance did (never blocks). */
  private void fetchKey() {
    nextAttemptNanos = System.nanoTime() + RETRY_NANOS;
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    try {
      keyBucket.setIfAbsentAsync(Base64.getEncoder().encodeToString(fresh))
          .thenCompose(made -> keyBucket.getAsync())
          .whenComplete((stored, error) -> {
            if (error != null || stored == null) {
              LOG.debug("cannot read {} yet ({}); lease notices carry no values meanwhile", keyName,
                  error == null ? "absent" : error.toString());
            } else {
              key = parse(stored);
            }
          });
    } catch (RuntimeException e) { // the client shut down, or the key holds something else
      LOG.debug("cannot read {} ({}); lease notices carry no values", keyName, e.toString());
    }
  }

  private @Nullable SecretKeySpec parse(String stored) {
    try {
      return new SecretKeySpec(Base64.getDecoder().decode(stored), "HmacSHA256");
    } catch (IllegalArgumentException e) {
      LOG.warn("{} does not hold a notice key (base64 of random bytes); lease notices carry no values", keyName);
      return null;
    }
  }

  /** HMAC-SHA256 of {@code head}'s first {@code headLength} bytes followed by {@code tail} from {@code tailAt}. */
  private static byte[] mac(SecretKeySpec signing, byte[] head, int headLength, byte[] tail, int tailAt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(signing);
      mac.update(head, 0, headLength);
      mac.update(tail, tailAt, tail.length - tailAt);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
