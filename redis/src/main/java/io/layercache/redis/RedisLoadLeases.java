package io.layercache.redis;

import io.layercache.layer.LoadLeases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load leases in Redis: {@code SET NX PX} with a random holder token, renewed by the holder,
 * released by token (Lua), with a strictly increasing fencing token per key.
 *
 * <ul>
 *   <li>The lease and fence keys carry the entry's hash tag, so the fenced compare-and-set of the
 *       entry can read the fence in the same Cluster slot.
 *   <li>The fence key is kept {@link #fenceRetentionMillis} (at least 10 leases, 1 minute
 *       minimum). Tokens come from the Redis clock in microseconds, so even after a fence key
 *       expired a new token is larger than any older one.
 *   <li>A renewal that finds the lease gone or someone else's marks the lease invalid and stops;
 *       the holder's later write is then refused by the fence, not by this flag.
 *   <li>Redis replication is asynchronous: after a failover a lease can be granted twice. That
 *       costs one extra load, never correctness (the fence still orders the writes).
 * </ul>
 */
final class RedisLoadLeases<K> implements LoadLeases<K> {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLoadLeases.class);
  private static final LuaScripts ACQUIRE = LuaScripts.load("lease-acquire");
  private static final LuaScripts RENEW = LuaScripts.load("lease-renew");
  private static final LuaScripts RELEASE = LuaScripts.load("lease-release");

  private final String cacheName;
  private final RedissonClient client;
  private final RedisKeys keys;
  private final LeaseRenewer renewer;
  private final LuaScripts.Awaiter await;

  RedisLoadLeases(String cacheName, RedissonClient client, RedisKeys keys, LeaseRenewer renewer,
      LuaScripts.Awaiter await) {
    this.cacheName = cacheName;
    this.client = client;
    this.keys = keys;
    this.renewer = renewer;
    this.await = await;
  }

  @Override
  public Lease tryAcquire(K key, Duration leaseTime) {
    String entryKey = keys.entryKey(key);
    String leaseKey = keys.leaseKey(entryKey);
    String token = UUID.randomUUID().toString();
    long leaseMillis = leaseTime.toMillis();
    long fence = ACQUIRE.run(client, await, List.of(leaseKey, keys.fenceKey(entryKey)), ascii(token),
        ascii(Long.toString(leaseMillis)), ascii(Long.toString(fenceRetentionMillis(leaseMillis))));
    if (fence == 0) {
      return null;
    }
    return new RedisLease(leaseKey, token, fence, leaseMillis);
  }

  @Override
  public boolean isHeld(K key) {
    String leaseKey = keys.leaseKey(keys.entryKey(key));
    Long count = await.await(client.getKeys().countExistsAsync(leaseKey), "EXISTS");
    return count != null && count > 0;
  }

  /** How long a key's newest token is kept: at least 10 leases, and at least 1 minute. */
  static long fenceRetentionMillis(long leaseMillis) {
    return Math.max(60_000L, leaseMillis * 10);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private final class RedisLease implements Lease {

    private final String leaseKey;
    private final String token;
    private final long fence;
    private final long leaseMillis;
    private final ScheduledFuture<?> renewal;
    private volatile boolean valid = true;

    RedisLease(String leaseKey, String token, long fence, long leaseMillis) {
      this.leaseKey = leaseKey;
      this.token = token;
      this.fence = fence;
      this.leaseMillis = leaseMillis;
      this.renewal = renewer.every(Math.max(30, leaseMillis / 3), this::renew);
    }

    @Override
    public long fence() {
      return fence;
    }

    @Override
    public boolean isValid() {
      return valid;
    }

    private void renew() {
      try {
        if (RENEW.run(client, await, List.of(leaseKey), ascii(token), ascii(Long.toString(leaseMillis))) == 0) {
          valid = false;
          renewal.cancel(false);
          LOG.warn("cache={} lease {} was lost while its load ran (paused or slow holder); its value will be "
              + "refused if another instance took the load over", cacheName, leaseKey);
        }
      } catch (RuntimeException e) {
        LOG.debug("cache={} could not renew lease {}: {}", cacheName, leaseKey, e.toString());
      }
    }

    @Override
    public void close() {
      renewal.cancel(false);
      try {
        RELEASE.run(client, await, List.of(leaseKey), ascii(token));
      } catch (RuntimeException e) {
        LOG.debug("cache={} could not release lease {} (it expires by itself): {}", cacheName, leaseKey, e.toString());
      }
    }
  }
}
