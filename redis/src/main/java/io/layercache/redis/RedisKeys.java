package io.layercache.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Redis key layout of one cache, and the reversible encoding of its Java keys.
 *
 * <pre>
 *   &lt;namespace&gt;:&lt;cache&gt;:e:{&lt;key&gt;}     an entry (the braces are the Cluster hash tag)
 *   &lt;namespace&gt;:&lt;cache&gt;:l:{&lt;key&gt;}     the entry's load lease (distributed single-flight)
 *   &lt;namespace&gt;:&lt;cache&gt;:f:{&lt;key&gt;}     the entry's newest lease token (fencing)
 *   &lt;namespace&gt;:&lt;cache&gt;:t:{&lt;tag&gt;}     a tag's newest invalidation stamp
 *   &lt;namespace&gt;:&lt;cache&gt;:*               everything of the cache (clear, iteration)
 * </pre>
 *
 * <ul>
 *   <li>The cache name is percent-encoded outside {@code [A-Za-z0-9._-]}, so no cache name can
 *       contain a glob metacharacter, a colon or a brace: a pattern over one cache can never
 *       match another cache's keys.
 *   <li>The encoded key is the hash tag, so every key of one entry (its value and, for digested
 *       keys, its name key) lands in one Cluster slot and multi-key scripts stay legal, while
 *       different entries spread.
 *   <li>Keys are type-tagged ({@code s} String, {@code i} Integer, {@code l} Long, {@code b} other
 *       types as base64url of their codec bytes), so {@code 1} and {@code 1L} stay distinct and every
 *       Redis key maps back to its Java key. Strings keep readable characters and percent-encode the
 *       rest. A key whose encoding is longer than {@value #MAX_ENCODED_KEY} characters is stored under
 *       a SHA-256 digest ({@code h…}), with a name key {@code <namespace>:<cache>:k:{h…}} holding the
 *       encoded key so iteration can recover it; both are written and deleted together.
 *   <li>A tag is percent-encoded like a cache name, so it is its key's hash tag and tags spread
 *       over a Cluster's slots. A tag whose encoding is longer than {@value #MAX_ENCODED_KEY}
 *       characters is stored under {@code #} and its SHA-256, which no encoded tag can start with.
 *       Tag keys match neither the entry nor the name pattern, so {@code clear()} and iteration
 *       never see them.
 * </ul>
 */
public final class RedisKeys {

  /** The longest encoded key kept verbatim in a Redis key. */
  public static final int MAX_ENCODED_KEY = 512;

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Turns non-String keys into bytes and back, through the codec (allow-listed classes only). */
  public interface KeyBytes {
    /** The canonical bytes of a key. */
    byte[] toBytes(Object key);

    /** The key of canonical bytes. */
    Object fromBytes(byte[] bytes);
  }

  private final String cachePrefix;
  private final String entryPrefix;
  private final String namePrefix;
  private final String leasePrefix;
  private final String fencePrefix;
  private final String waitersPrefix;
  private final String tagPrefix;
  private final KeyBytes keyBytes;

  /**
   * @param namespace the deployment's namespace, {@code [A-Za-z0-9._-]{1,64}}
   * @param cacheName the cache's name (any characters)
   */
  public RedisKeys(String namespace, String cacheName, KeyBytes keyBytes) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("redis.namespace must match [A-Za-z0-9._-]{1,64}, was '" + namespace + "'");
    }
    this.cachePrefix = namespace + ":" + escape(Objects.requireNonNull(cacheName, "cacheName")) + ":";
    this.entryPrefix = cachePrefix + "e:{";
    this.namePrefix = cachePrefix + "k:{";
    this.leasePrefix = cachePrefix + "l:{";
    this.fencePrefix = cachePrefix + "f:{";
    this.waitersPrefix = cachePrefix + "w:{";
    this.tagPrefix = cachePrefix + "t:{";
    this.keyBytes = keyBytes;
  }

  /**
   * Where an entry lives: its Redis key, and for a Java key too long to keep verbatim, the name
   * key holding the encoded Java key (same hash tag, so both share a Cluster slot).
   *
   * @param entryKey    the entry's Redis key
   * @param nameKey     the name key, or null when the Java key is readable from {@code entryKey}
   * @param encodedName the encoded Java key stored under {@code nameKey}
   */
  public record Location(String entryKey, String nameKey, String encodedName) {}

  /** Where the entry of {@code key} lives. */
  public Location locate(Object key) {
    String encoded = encode(key);
    if (encoded.length() <= MAX_ENCODED_KEY) {
      return new Location(entryPrefix + encoded + "}", null, null);
    }
    String digest = "h" + sha256(encoded);
    return new Location(entryPrefix + digest + "}", namePrefix + digest + "}", encoded);
  }

  /** The Redis key of an entry. */
  public String entryKey(Object key) {
    return locate(key).entryKey();
  }

  /** The name key of an entry key stored under a digest, or null for a readable entry key. */
  public String nameKeyOf(String entryKey) {
    if (!entryKey.startsWith(entryPrefix + "h")) {
      return null;
    }
    return namePrefix + entryKey.substring(entryPrefix.length());
  }

  /** The Java key of an encoded name (see {@link #locate}), or null when it cannot be decoded. */
  public Object decodeName(String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return null;
    }
    char type = encoded.charAt(0);
    String body = encoded.substring(1);
    try {
      return switch (type) {
        case 's' -> unescape(body);
        case 'i' -> Integer.valueOf(body);
        case 'l' -> Long.valueOf(body);
        case 'b' -> keyBytes.fromBytes(Base64.getUrlDecoder().decode(body));
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A SCAN pattern matching every entry key of this cache and nothing else. */
  public String entryPattern() {
    return entryPrefix + "*";
  }

  /** A SCAN pattern matching every name key of this cache and nothing else. */
  public String namePattern() {
    return namePrefix + "*";
  }

  /** The load lease key of an entry key: same hash tag, so same Cluster slot. */
  public String leaseKey(String entryKey) {
    return leasePrefix + entryKey.substring(entryPrefix.length());
  }

  /**
   * The waiters mark of an entry key: set while another instance waits for the key's load, so the
   * load's store announces its value with the release; same hash tag, so same Cluster slot.
   */
  public String waitersKey(String entryKey) {
    return waitersPrefix + entryKey.substring(entryPrefix.length());
  }

  /** The fence key (newest lease token) of an entry key: same hash tag, so same Cluster slot. */
  public String fenceKey(String entryKey) {
    return fencePrefix + entryKey.substring(entryPrefix.length());
  }

  /** The key of a tag's invalidation stamp: the encoded tag is its hash tag. */
  public String tagKey(String tag) {
    String encoded = escape(Objects.requireNonNull(tag, "tag"));
    return tagPrefix + (encoded.length() <= MAX_ENCODED_KEY ? encoded : "#" + sha256(encoded)) + "}";
  }

  /** A SCAN pattern matching every key of this cache. */
  public String cachePattern() {
    return cachePrefix + "*";
  }

  /** The canonical bytes of a key, for the envelope's key digest. */
  public byte[] digestSource(String entryKey) {
    return entryKey.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The Java key of an entry key, or null when the key was stored under a digest (its Java key
   * is then read from the entry) or the Redis key is not one of this cache's entry keys.
   */
  public Object decodeEntryKey(String redisKey) {
    if (!redisKey.startsWith(entryPrefix) || !redisKey.endsWith("}") || redisKey.length() < entryPrefix.length() + 2) {
      return null;
    }
    String encoded = redisKey.substring(entryPrefix.length(), redisKey.length() - 1);
    return encoded.startsWith("h") ? null : decodeName(encoded);
  }

  String encode(Object key) {
    String encoded;
    if (key instanceof String s) {
      encoded = "s" + escape(s);
    } else if (key instanceof Integer i) {
      encoded = "i" + i;
    } else if (key instanceof Long l) {
      encoded = "l" + l;
    } else {
      encoded = "b" + Base64.getUrlEncoder().withoutPadding().encodeToString(keyBytes.toBytes(key));
    }
    return encoded;
  }

  /** Percent-encodes every UTF-8 byte outside {@code [A-Za-z0-9._-]}. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String unescape(String text) {
    byte[] out = new byte[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        out[n++] = (byte) Integer.parseInt(text.substring(i + 1, i + 3), 16);
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
