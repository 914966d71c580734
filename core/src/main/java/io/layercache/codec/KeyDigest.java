package io.layercache.codec;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The 64-bit digest of a cache key that an envelope carries, so an envelope found under another
 * key (copied, mis-keyed, or left by another cache or namespace sharing the Redis instance) is
 * refused instead of served (see docs/guarantees.md, security rule S8 and bad-input test B8).
 *
 * <p>The digest is XXH64 of the key's canonical bytes, seeded with XXH64 of the namespace-qualified
 * cache name, so the same key in two caches gives two digests.
 *
 * <ul>
 *   <li>It detects misplaced data; it is not an authenticator. Anyone who can write to Redis can
 *       also compute a matching digest, so it adds nothing against a writer with Redis access,
 *       which the class allow-list and the size limits handle instead. A cryptographic hash
 *       would not change that and costs about 10 times more per call.
 *   <li>Accidental collisions between two keys are about 2<sup>-64</sup> per pair.
 * </ul>
 */
public final class KeyDigest {

  private static final XXHash64 XXH64 = XXHashFactory.fastestJavaInstance().hash64();
  private static final long NAME_SEED = 0x4C43_4B45_5931_0001L;

  private final long seed;

  private KeyDigest(long seed) {
    this.seed = seed;
  }

  /**
   * The digester of one cache. Create it once per cache and reuse it.
   *
   * @param qualifiedCacheName the cache name including anything else that scopes its L2 keys
   *                           (namespace, wire version), e.g. {@code "app:orders:v1"}
   */
  public static KeyDigest forCache(String qualifiedCacheName) {
    byte[] name = Objects.requireNonNull(qualifiedCacheName, "qualifiedCacheName")
        .getBytes(StandardCharsets.UTF_8);
    return new KeyDigest(XXH64.hash(name, 0, name.length, NAME_SEED));
  }

  /** The digest of a key, from its canonical (encoded) bytes. */
  public long of(byte[] canonicalKey) {
    Objects.requireNonNull(canonicalKey, "canonicalKey");
    return XXH64.hash(canonicalKey, 0, canonicalKey.length, seed);
  }
}
