package io.layercache.redis;

import io.layercache.layer.LayerFailureException;
import io.layercache.layer.LoadLeases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.layercache.layer.StoredEntry;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
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
 *   <li>Renewals are asynchronous, so one slow renewal never delays the others. A renewal that
 *       finds the lease gone or someone else's marks the lease invalid and stops; the holder's
 *       later write is then refused by the fence, not by this flag.
 *   <li>Taking a lease also tells whether the entry is stored (one script, one round trip), so a
 *       holder that finds none loads at once instead of reading the entry again first.
 *   <li>Releases do not wait for Redis: the holder's value is stored before the release is sent,
 *       and the callers of this instance have it without the release's round trip. A release
 *       that fails leaves the lease to expire, as a dead holder's would.
 *   <li>A release is published on the namespace's lease-release channel ({@link LeaseReleases}), so
 *       other instances' waiters stop waiting at once, with or without an invalidation bus.
 *   <li>The fenced write that stores a load's value releases its lease in the same script
 *       ({@link CompareAndSetWrites}; {@link #storing}, {@link #stored}): waiters hear of it one
 *       round trip sooner, and the holder's own release is skipped.
 *   <li>A release notice's value ({@link ReleaseNotices}) reaches a waiter only when it names the
 *       fencing token under which this instance last saw the key's lease held: a late notice of an
 *       earlier load, or a recorded one replayed, names an older token and only wakes it.
 *   <li>A load that found nothing releases its lease as a {@value #FOUND_NOTHING} mark for
 *       {@value #FOUND_NOTHING_MARK_MILLIS} ms, so its waiters return null instead of loading in turn.
 *   <li>Redis replication is asynchronous: after a failover a lease can be granted twice. That
 *       costs one extra load, never correctness (the fence still orders the writes).
 * </ul>
 */
final class RedisLoadLeases<K> implements LoadLeases<K>, CompareAndSetWrites.LeaseStores {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLoadLeases.class);
  private static final LuaScripts ACQUIRE = LuaScripts.load("lease-acquire");
  private static final LuaScripts READ_OR_LEASE = LuaScripts.load("read-or-lease");
  private static final LuaScripts RENEW = LuaScripts.load("lease-renew");
  private static final LuaScripts RELEASE = LuaScripts.load("lease-release");
  static final String FOUND_NOTHING = "!found-nothing";
  /** The layer diagnostic counting release messages that woke a waiter of this cache. */
  static final String RELEASES_HEARD = "lease-releases-heard";
  /** The layer diagnostic counting release messages that brought a waiter of this cache the stored value. */
  static final String RELEASE_VALUES_HEARD = "lease-release-values-heard";
  /** The layer diagnostic counting release messages to a waiter of this cache whose value did not verify. */
  static final String RELEASE_VALUES_UNVERIFIED = "lease-release-values-unverified";
  /** The layer diagnostic counting verified release values of another lease than the one seen held here (late or replayed). */
  static final String RELEASE_VALUES_STALE = "lease-release-values-stale";
  /** Long enough for waiters polling every 10 ms (50 ms while release notices are heard) at most to see it. */
  static final long FOUND_NOTHING_MARK_MILLIS = 100;

  private final String cacheName;
  private final RedissonClient client;
  private final RedisKeys keys;
  private final LeaseRenewer renewer;
  private final LuaScripts.Awaiter await;
  private final LeaseReleases releases;
  private final byte[] releaseChannel;
  private final Consumer<String> count;
  private final BiFunction<String, byte[], StoredEntry<?>> decode;
  /**
   * The fencing token under which a read of this instance last found each key's lease held by
   * another instance, while it waits (a bounded, expiring memory: a forgotten one only costs the
   * waiter a read).
   */
  private final Cache<String, Long> heldUnder = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofMinutes(10)).build();
  /** The leases held here, by lease key, until released (by their holder or by their load's write). */
  private final ConcurrentHashMap<String, RedisLease> held = new ConcurrentHashMap<>();

  /**
   * What the leases of a cache manager's caches on one Redis client and namespace share: the
   * thread renewing them and the subscription hearing their releases.
   */
  record Shared(LeaseRenewer renewer, LeaseReleases releases) {}

  /**
   * {@code count} counts a layer diagnostic ({@value #RELEASES_HEARD}); {@code decode} reads the
   * value a release notice of an entry key carried (null when rejected).
   */
  RedisLoadLeases(String cacheName, RedissonClient client, RedisKeys keys, Shared shared, LuaScripts.Awaiter await,
      Consumer<String> count, BiFunction<String, byte[], StoredEntry<?>> decode) {
    this.cacheName = cacheName;
    this.client = client;
    this.keys = keys;
    this.renewer = shared.renewer();
    this.await = await;
    this.releases = shared.releases();
    this.releaseChannel = releases.channel().getBytes(StandardCharsets.UTF_8);
    this.count = count;
    this.decode = decode;
  }

  @Override
  public Lease tryAcquire(K key, Duration leaseTime) {
    String entryKey = keys.entryKey(key);
    String leaseKey = keys.leaseKey(entryKey);
    String token = UUID.randomUUID().toString();
    long leaseMillis = leaseTime.toMillis();
    long reply = ACQUIRE.run(client, await, List.of(leaseKey, keys.fenceKey(entryKey), entryKey), ascii(token),
        ascii(Long.toString(leaseMillis)), ascii(Long.toString(fenceRetentionMillis(leaseMillis))));
    return reply == 0 ? null : granted(leaseKey, token, Math.abs(reply), leaseMillis, reply > 0);
  }

  /**
   * Reads the entry {@code entryKey} and, when none is stored, takes its lease in the same script
   * ({@code read-or-lease.lua}).
   *
   * @param decode what the entry's bytes hold (null when they are rejected)
   */
  <V> Read<V> readOrLease(String entryKey, Duration leaseTime, Function<byte[], StoredEntry<V>> decode) {
    String leaseKey = keys.leaseKey(entryKey);
    String token = UUID.randomUUID().toString();
    long leaseMillis = leaseTime.toMillis();
    List<Object> reply = READ_OR_LEASE.runForList(client, await,
        List.of(entryKey, leaseKey, keys.fenceKey(entryKey), keys.waitersKey(entryKey)),
        ascii(token), ascii(Long.toString(leaseMillis)), ascii(Long.toString(fenceRetentionMillis(leaseMillis))));
    long kind = (Long) reply.get(0);
    if (kind == 1) {
      return new Read<>(decode.apply((byte[]) reply.get(1)), null, false);
    }
    if (kind == 2) {
      return new Read<>(null, granted(leaseKey, token, (Long) reply.get(1), leaseMillis, true), false);
    }
    if (reply.size() > 1 && (Long) reply.get(1) != 0) {
      heldUnder.put(leaseKey, (Long) reply.get(1));
    }
    return new Read<>(null, null, true);
  }

  /** A lease the script granted: renewed from now on. */
  private Lease granted(String leaseKey, String token, long fence, long leaseMillis, boolean entryAbsent) {
    RedisLease lease = new RedisLease(leaseKey, token, fence, leaseMillis, entryAbsent);
    held.put(leaseKey, lease);
    try {
      lease.startRenewing();
    } catch (RejectedExecutionException e) {
      lease.close();
      throw new LayerFailureException("cache '" + cacheName + "': cannot renew load leases (the cache manager is closed)", e);
    }
    return lease;
  }

  @Override
  public State state(K key) {
    String leaseKey = keys.leaseKey(keys.entryKey(key));
    byte[] holder = await.await(client.<byte[]>getBucket(leaseKey, ByteArrayCodec.INSTANCE).getAsync(), "GET");
    if (holder == null) {
      return State.FREE;
    }
    return FOUND_NOTHING.equals(new String(holder, StandardCharsets.US_ASCII)) ? State.FOUND_NOTHING : State.HELD;
  }

  @Override
  public Watch watchRelease(K key, ReleaseListener onRelease) {
    String entryKey = keys.entryKey(key);
    String leaseKey = keys.leaseKey(entryKey);
    LoadLeases.Watch watch = releases.watch(leaseKey, notice -> onRelease.released(valueOf(entryKey, notice)));
    return new Watch() {
      @Override
      public void close() {
        watch.close();
        heldUnder.invalidate(leaseKey);
      }

      @Override
      public boolean isLive() {
        return watch.isLive();
      }
    };
  }

  /** The entry a notice for {@code entryKey} carried, when it verified and names the lease seen held here; else null. */
  private StoredEntry<?> valueOf(String entryKey, ReleaseNotices.Notice notice) {
    count.accept(RELEASES_HEARD);
    if (notice.unverified()) {
      count.accept(RELEASE_VALUES_UNVERIFIED);
      return null;
    }
    if (notice.value() == null) {
      return null;
    }
    Long seen = heldUnder.getIfPresent(notice.leaseKey());
    if (seen == null || seen != notice.fence()) {
      count.accept(RELEASE_VALUES_STALE);
      return null;
    }
    StoredEntry<?> stored = decode.apply(entryKey, notice.value());
    if (stored != null) {
      count.accept(RELEASE_VALUES_HEARD);
    }
    return stored;
  }

  /**
   * The fenced write of the value loaded under lease {@code fence} of {@code leaseKey} is over;
   * when it {@code released} the lease (its script found no newer grant) the holder stops
   * renewing it and does not release it again.
   */
  @Override
  public void stored(String leaseKey, long fence, boolean released) {
    RedisLease lease = held.get(leaseKey);
    if (lease != null && lease.fence == fence) {
      if (released) {
        lease.releasedElsewhere();
      } else {
        lease.storing = false;
      }
    }
  }

  /**
   * The value loaded under lease {@code fence} of {@code leaseKey} is being written, in a script
   * that may release the lease: a renewal answered "not held" meanwhile is that release, not a
   * lost lease.
   */
  @Override
  public void storing(String leaseKey, long fence) {
    RedisLease lease = held.get(leaseKey);
    if (lease != null && lease.fence == fence) {
      lease.storing = true;
    }
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
    private final boolean entryAbsent;
    private volatile ScheduledFuture<?> renewal;
    private volatile boolean valid = true;
    private volatile boolean closed;
    /** Its value's write, which may release it, is under way. */
    volatile boolean storing;

    RedisLease(String leaseKey, String token, long fence, long leaseMillis, boolean entryAbsent) {
      this.leaseKey = leaseKey;
      this.token = token;
      this.fence = fence;
      this.leaseMillis = leaseMillis;
      this.entryAbsent = entryAbsent;
    }

    @Override
    public boolean entryAbsentWhenTaken() {
      return entryAbsent;
    }

    void startRenewing() {
      renewal = renewer.every(Math.max(30, leaseMillis / 3), this::renew);
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
      if (closed || storing) {
        return;
      }
      RENEW.runAsync(client, List.of(leaseKey), ascii(token), ascii(Long.toString(leaseMillis)))
          .whenComplete((extended, error) -> {
            if (closed || storing) {
              return; // released by its load's write, or being stored: not lost
            }
            if (error != null) {
              LOG.debug("cache={} could not renew lease {}: {}", cacheName, leaseKey, error.toString());
            } else if (extended == 0) {
              valid = false;
              cancelRenewal();
              LOG.warn("cache={} lease {} was lost while its load ran (paused or slow holder); its value will be "
                  + "refused if another instance took the load over", cacheName, leaseKey);
            }
          });
    }

    @Override
    public void releaseFoundNothing() {
      release(ascii(token), releaseChannel, ascii(Long.toString(FOUND_NOTHING_MARK_MILLIS)));
    }

    @Override
    public void close() {
      release(ascii(token), releaseChannel);
    }

    /** Released by its load's write: nothing left to send. */
    void releasedElsewhere() {
      closed = true;
      cancelRenewal();
      held.remove(leaseKey, this);
    }

    private void release(byte[]... args) {
      if (closed) {
        return;
      }
      closed = true;
      cancelRenewal();
      held.remove(leaseKey, this);
      try {
        RELEASE.runAsync(client, List.of(leaseKey), args).whenComplete((released, error) -> {
          if (error != null) {
            LOG.debug("cache={} could not release lease {} (it expires by itself): {}", cacheName, leaseKey,
                error.toString());
          }
        });
      } catch (RuntimeException e) {
        LOG.debug("cache={} could not release lease {} (it expires by itself): {}", cacheName, leaseKey, e.toString());
      }
    }

    private void cancelRenewal() {
      ScheduledFuture<?> scheduled = renewal;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}
