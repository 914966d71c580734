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
 * since (the fence). Such a fenced write ends its load, so the script also releases the lease and
 * announces it on the lease-release channel: the instances waiting for the value are told by the
 * round trip that stored it, and when some did wait (the key's waiters mark), the notice carries
 * the value, signed ({@link ReleaseNotices}), so they need not read it. Kept apart from the layer so the script's argument layout lives in
 * one place.
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
  private final byte[] releaseChannel;
  private final ReleaseNotices notices;
  private final LeaseStores leases;

  /** The holder's side of the leases whose values these writes store (and may release). */
  interface LeaseStores {

    /** The value loaded under lease {@code fence} of {@code leaseKey} is about to be written. */
    void storing(String leaseKey, long fence);

    /** That write is over; {@code released}: its script released the lease. */
    void stored(String leaseKey, long fence, boolean released);
  }

  /**
   * Writes of cache {@code cacheName}; {@code count} receives the layer's counter names
   * ({@code fenced-writes}); {@code leases} learns of every fenced write, and whether it released
   * its lease (announced on {@code releases}' channel), so the holder does not release it again.
   */
  CompareAndSetWrites(String cacheName, RedissonClient client, RedisKeys keys, LuaScripts.Awaiter await,
      Consumer<String> count, LeaseReleases releases, LeaseStores leases) {
    this.cacheName = cacheName;
    this.client = client;
    this.keys = keys;
    this.await = await;
    this.count = count;
    this.releaseChannel = releases.channel().getBytes(StandardCharsets.UTF_8);
    this.notices = releases.notices();
    this.leases = leases;
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
    List<Object> redisKeys = new ArrayList<>(5);
    redisKeys.add(location.entryKey());
    if (location.nameKey() != null) {
      redisKeys.add(location.nameKey());
    }
    String leaseKey = fence == 0 ? null : keys.leaseKey(location.entryKey());
    if (leaseKey != null) {
      redisKeys.add(keys.fenceKey(location.entryKey()));
      redisKeys.add(leaseKey);
      redisKeys.add(keys.waitersKey(location.entryKey()));
    }
    byte[] name = location.encodedName() == null ? EMPTY : location.encodedName().getBytes(StandardCharsets.UTF_8);
    byte[] fenceArg = fence == 0 ? EMPTY : Long.toString(fence).getBytes(StandardCharsets.US_ASCII);
    byte[] hasName = location.nameKey() == null ? ZERO : ONE;
    byte[] channel = leaseKey == null ? EMPTY : releaseChannel;
    if (leaseKey != null) {
      leases.storing(leaseKey, fence);
    }
    long applied = 0;
    try {
      applied = bytes == null
          ? COMPARE_AND_SET.run(client, await, redisKeys, expected, DEL, EMPTY, EMPTY, EMPTY, fenceArg, hasName, channel,
              EMPTY)
          : COMPARE_AND_SET.run(client, await, redisKeys, expected, SET, bytes,
              Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII), name, fenceArg, hasName, channel,
              leaseKey == null ? EMPTY : notices.header(leaseKey, fence, bytes));
    } finally {
      if (leaseKey != null) {
        leases.stored(leaseKey, fence, applied == 2);
      }
    }
    if (applied == -1) {
      count.accept("fenced-writes");
      throw new FencedWriteException("cache '" + cacheName + "': the value loaded under lease " + fence + " for "
          + location.entryKey() + " was not stored: another instance took the load over since");
    }
    return applied >= 1;
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
