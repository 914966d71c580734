package io.layercache.redis;

import io.layercache.layer.FencedWriteException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.redisson.api.RedissonClient;

/**
 * The Redis layer's conditional writes of one cache's entries: one compare-and-set script that
 * writes (or deletes) an entry and its name key only if the stored bytes still hash to what the
 * caller read, and, for a value loaded under a lease, only if no newer lease of the key was granted
 * since (the fence). Kept apart from the layer so the script's argument layout lives in one place.
 */
final class CompareAndSetWrites {

  /** {@code expected} for an unconditional write. */
  static final byte[] ANY = "*".getBytes(StandardCharsets.US_ASCII);
  /** {@code expected} for "the key is absent". */
  static final byte[] ABSENT = new byte[0];

  private static final LuaScripts COMPARE_AND_SET = LuaScripts.load("compare-and-set");
  private static final byte[] SET = "set".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DEL = "del".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] ZERO = {'0'};
  private static final byte[] ONE = {'1'};

  private final String cacheName;
  private final RedissonClient client;
  private final RedisKeys keys;
  private final LuaScripts.Awaiter await;
  private final Consumer<String> count;

  /** Writes of cache {@code cacheName}; {@code count} receives the layer's counter names ({@code fenced-writes}). */
  CompareAndSetWrites(String cacheName, RedissonClient client, RedisKeys keys, LuaScripts.Awaiter await,
      Consumer<String> count) {
    this.cacheName = cacheName;
    this.client = client;
    this.keys = keys;
    this.await = await;
    this.count = count;
  }

  /**
   * Writes (or with null bytes deletes) an entry and its name key if the stored bytes still match
   * {@code expected} (SHA-1 hex, {@link #ABSENT}, or {@link #ANY} for unconditional).
   *
   * @return true when applied
   */
  boolean write(RedisKeys.Location location, byte[] expected, byte[] bytes, long ttlMillis) {
    return write(location, expected, bytes, ttlMillis, 0L);
  }

  /**
   * {@link #write} of a value loaded under the lease with token {@code fence} (0: unfenced).
   *
   * @throws FencedWriteException when a newer lease of the key was granted since
   */
  boolean write(RedisKeys.Location location, byte[] expected, byte[] bytes, long ttlMillis, long fence) {
    List<Object> redisKeys = new ArrayList<>(3);
    redisKeys.add(location.entryKey());
    if (location.nameKey() != null) {
      redisKeys.add(location.nameKey());
    }
    if (fence != 0) {
      redisKeys.add(keys.fenceKey(location.entryKey()));
    }
    byte[] name = location.encodedName() == null ? EMPTY : location.encodedName().getBytes(StandardCharsets.UTF_8);
    byte[] fenceArg = fence == 0 ? EMPTY : Long.toString(fence).getBytes(StandardCharsets.US_ASCII);
    byte[] hasName = location.nameKey() == null ? ZERO : ONE;
    long applied = bytes == null
        ? COMPARE_AND_SET.run(client, await, redisKeys, expected, DEL, EMPTY, EMPTY, EMPTY, fenceArg, hasName)
        : COMPARE_AND_SET.run(client, await, redisKeys, expected, SET, bytes,
            Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII), name, fenceArg, hasName);
    if (applied == -1) {
      count.accept("fenced-writes");
      throw new FencedWriteException("cache '" + cacheName + "': the value loaded under lease " + fence + " for "
          + location.entryKey() + " was not stored: another instance took the load over since");
    }
    return applied == 1;
  }

  /** The SHA-1 of {@code bytes} in hex, as the script compares it. */
  static byte[] sha1Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes))
          .getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
