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
 * the lease key's length (2 bytes, big-endian), the lease key, an HMAC-SHA256 of the lease key
 * followed by the value, then the value (the envelope as stored). A value read from a key is
 * trusted as far as the ACL lets others write that key; a channel may be open to more clients
 * (an {@code allchannels} user), so a notice's value is used only when its HMAC verifies under the
 * namespace's notice key, a random key kept in Redis at {@code <namespace>:lease-notice-key}:
 * who can read it can write the entries anyway. Until the key is known, stores publish plain
 * notices and valued ones are heard as plain ones.
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
  byte[] header(String leaseKey, byte[] value) {
    SecretKeySpec signing = key();
    if (signing == null || value.length > MAX_VALUE_BYTES) {
      return new byte[0];
    }
    byte[] name = leaseKey.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(MAGIC.length + 2 + name.length + MAC_BYTES).put(MAGIC).putShort((short) name.length)
        .put(name).put(mac(signing, name, value, value.length)).array();
  }

  /** What a message on the channel says; null for one that is no notice at all. */
  @Nullable Notice read(byte[] message) {
    if (message.length == 0 || message[0] != 0) {
      return new Notice(new String(message, StandardCharsets.UTF_8), null, false);
    }
    if (message.length < MAGIC.length + 2 || !Arrays.equals(message, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(message, MAGIC.length, message.length - MAGIC.length);
    int nameLength = Short.toUnsignedInt(in.getShort());
    if (in.remaining() < nameLength + MAC_BYTES) {
      return null;
    }
    byte[] name = new byte[nameLength];
    byte[] mac = new byte[MAC_BYTES];
    in.get(name).get(mac);
    byte[] value = new byte[in.remaining()];
    in.get(value);
    String leaseKey = new String(name, StandardCharsets.UTF_8);
    SecretKeySpec signing = key();
    boolean verified = signing != null && MessageDigest.isEqual(mac, mac(signing, name, value, value.length));
    return new Notice(leaseKey, verified ? value : null, !verified);
  }

  /**
   * One notice: the released lease, the stored value when it came and verified, and whether a
   * value came that did not verify (heard as a plain notice).
   */
  record Notice(String leaseKey, byte @Nullable [] value, boolean unverified) {}

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

  private static byte[] mac(SecretKeySpec signing, byte[] name, byte[] value, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(signing);
      mac.update(name);
      mac.update(value, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
