package io.layercache.testing;

import io.layercache.layer.FencedWriteException;
import io.layercache.layer.LoadLeases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one cache keeps in an {@link InMemoryRemote}: the part of "Redis" every instance of the
 * cache shares. Holds encoded entries (bytes, never objects), the load leases and the fencing
 * tokens, with the atomicity Redis' scripts give:
 *
 * <ul>
 *   <li>Every write (set, compare-and-set, delete, lease change) runs under one lock, as Redis runs
 *       one command or script at a time; reads take no lock.
 *   <li>An entry carries a physical deadline (its expiry plus the grace the writer asked for, as a
 *       Redis {@code PX}); past it, it reads as absent. The deadline is judged by the reader's
 *       clock (the cache's {@code TimeSource}), so a manual clock moves "Redis" time too.
 *   <li>Leases and the found-nothing mark live in real time ({@code System.nanoTime}), like
 *       Redis' {@code PX} on lease keys. A held lease never lapses by itself: it stands for a lease
 *       its holder keeps renewing. Tests take it away with {@link #loseLease}.
 *   <li>Fencing tokens increase strictly per store; a fenced write older than the key's newest
 *       token is refused with {@link FencedWriteException}.
 *
 *   <li>Tag timestamps (the Redis layer's tag keys) only grow, and are kept for the retention the
 *       writer asked for after their last raise (never shortened; for ever when any raise asked so),
 *       judged by the writer's clock like entries. {@link #clear} keeps them, as the Redis layer's.
 * </ul>
 *
 * <p>Test controls: {@link #loseLease}, {@link #interleaveBeforeNextCompareAndSet} (a write by
 * "another instance" between a compute's read and its compare-and-set), {@link #size},
 * {@link #keys}, {@link #clear}.
 */
public final class RemoteStore {

  private final String namespace;
  private final String cacheName;
  private final ConcurrentHashMap<Object, Slot> entries = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Map<Object, LeaseRecord> leases = new HashMap<>();
  /** Guarded by {@link #lock}. */
  private final Map<Object, Long> fences = new HashMap<>();
  /** Guarded by {@link #lock}. */
  private long lastFence;
  private final AtomicReference<Runnable> interleave = new AtomicReference<>();
  /** Guarded by {@link #lock} for writes. */
  private final ConcurrentHashMap<String, TagRecord> tags = new ConcurrentHashMap<>();

  /** A tag's timestamp and the epoch millis it is kept until ({@code Long.MAX_VALUE}: for ever). */
  private record TagRecord(long stamp, long deadline) {}

  RemoteStore(String namespace, String cacheName) {
    this.namespace = namespace;
    this.cacheName = cacheName;
  }

  /** The namespace of the remote this store belongs to. */
  public String namespace() {
    return namespace;
  }

  /** The cache whose entries this store holds. */
  public String cacheName() {
    return cacheName;
  }

  /** One stored entry: its envelope bytes and its physical deadline (epoch millis, MAX for none). */
  static final class Slot {
    final byte[] bytes;
    final long physicalDeadline;

    Slot(byte[] bytes, long physicalDeadline) {
      this.bytes = bytes;
      this.physicalDeadline = physicalDeadline;
    }

    boolean isGoneAt(long nowMillis) {
      return physicalDeadline != Long.MAX_VALUE && physicalDeadline <= nowMillis;
    }
  }

  // ------------------------------------------------------------------ entries

  /** The slot of {@code key}, or null when absent or physically expired at {@code nowMillis}. */
  Slot read(Object key, long nowMillis) {
    Slot slot = entries.get(key);
    if (slot == null) {
      return null;
    }
    if (slot.isGoneAt(nowMillis)) {
      synchronized (lock) {
        entries.remove(key, slot);
      }
      return null;
    }
    return slot;
  }

  /**
   * Writes {@code replacement} (null deletes) if the live slot is still {@code expected} (null:
   * absent). Fenced writes ({@code fence != 0}) are refused once a newer lease was granted.
   *
   * @return true when applied, false when the entry changed since it was read
   * @throws FencedWriteException when a newer lease than {@code fence} was granted for the key
   */
  boolean compareAndSet(Object key, Slot expected, Slot replacement, long fence, long nowMillis) {
    synchronized (lock) {
      checkFence(key, fence);
      Slot current = entries.get(key);
      if (current != null && current.isGoneAt(nowMillis)) {
        entries.remove(key);
        current = null;
      }
      if (current != expected) {
        return false;
      }
      store(key, replacement);
      return true;
    }
  }

  /** Writes whatever is there ({@code SET}), fenced when {@code fence != 0}. */
  void set(Object key, Slot replacement, long fence) {
    synchronized (lock) {
      checkFence(key, fence);
      store(key, replacement);
    }
  }

  /** Removes and returns the live slot of {@code key} ({@code GETDEL}). */
  Slot getAndDelete(Object key, long nowMillis) {
    synchronized (lock) {
      Slot removed = entries.remove(key);
      return removed == null || removed.isGoneAt(nowMillis) ? null : removed;
    }
  }

  /** Removes every entry of the cache; leases and fences stay (as the Redis layer's clear). */
  public void clear() {
    synchronized (lock) {
      entries.clear();
    }
  }

  /** The number of entries stored now, physically expired ones included until read. */
  public int size() {
    return entries.size();
  }

  /** The keys stored now (a snapshot), physically expired ones included until read. */
  public List<Object> keys() {
    return new ArrayList<>(entries.keySet());
  }

  /** True when an entry of {@code key} is stored (live or not past its physical deadline yet). */
  public boolean contains(Object key) {
    return entries.containsKey(key);
  }

  /**
   * Runs {@code write} once, inside the next compute of this store, between its read and its
   * compare-and-set: the race with another instance that makes the compare-and-set fail and the
   * remapping function run again. {@code write} may use any cache of the same remote.
   */
  public void interleaveBeforeNextCompareAndSet(Runnable write) {
    if (!interleave.compareAndSet(null, Objects.requireNonNull(write, "write"))) {
      throw new IllegalStateException("an interleaved write is already pending");
    }
  }

  /** The pending interleaved write, taken so it runs once. */
  Runnable takeInterleave() {
    return interleave.getAndSet(null);
  }

  private void store(Object key, Slot replacement) {
    if (replacement == null) {
      entries.remove(key);
    } else {
      entries.put(key, replacement);
    }
  }

  private void checkFence(Object key, long fence) {
    if (fence == 0) {
      return;
    }
    Long newest = fences.get(key);
    if (newest != null && newest > fence) {
      throw new FencedWriteException("cache '" + cacheName + "': the value loaded under lease " + fence
          + " for " + key + " was not stored: another instance took the load over since");
    }
  }

  // ------------------------------------------------------------------ tag timestamps

  /**
   * Raises the timestamp of {@code tag} to at least {@code stamp}, kept {@code keepMillis} from
   * now at least (0: for ever); returns the timestamp stored.
   */
  long raiseTag(String tag, long stamp, long keepMillis, long nowMillis) {
    synchronized (lock) {
      TagRecord current = tags.get(tag);
      boolean live = current != null && current.deadline > nowMillis;
      long stored = live ? Math.max(current.stamp, stamp) : stamp;
      long deadline = keepMillis == 0 ? Long.MAX_VALUE : nowMillis + keepMillis;
      if (live) {
        deadline = Math.max(deadline, current.deadline);
      }
      tags.put(tag, new TagRecord(stored, deadline));
      return stored;
    }
  }

  /** The timestamp of {@code tag}, 0 when it was never raised or is past its deadline. */
  public long tagStamp(String tag, long nowMillis) {
    TagRecord record = tags.get(tag);
    return record == null || record.deadline <= nowMillis ? 0 : record.stamp;
  }

  /** The epoch millis until which {@code tag}'s timestamp is kept; {@code Long.MAX_VALUE} for ever, 0 when absent. */
  public long tagDeadline(String tag) {
    TagRecord record = tags.get(tag);
    return record == null ? 0 : record.deadline;
  }

  // ------------------------------------------------------------------ leases

  /** A lease key's value: a holder's token, or the found-nothing mark with its deadline. */
  private record LeaseRecord(String token, boolean foundNothing, long deadlineNanos) {
    boolean isGone(long nowNanos) {
      return foundNothing && nowNanos - deadlineNanos >= 0;
    }
  }

  /** Takes the lease of {@code key} for {@code token}: its fencing token, or 0 when taken. */
  long acquire(Object key, String token) {
    synchronized (lock) {
      LeaseRecord record = leases.get(key);
      if (record != null && !record.isGone(System.nanoTime())) {
        return 0;
      }
      leases.put(key, new LeaseRecord(token, false, 0));
      long fence = ++lastFence;
      fences.put(key, fence);
      return fence;
    }
  }

  /** The state of the lease of {@code key}. */
  LoadLeases.State leaseState(Object key) {
    synchronized (lock) {
      LeaseRecord record = leases.get(key);
      if (record == null) {
        return LoadLeases.State.FREE;
      }
      if (record.isGone(System.nanoTime())) {
        leases.remove(key);
        return LoadLeases.State.FREE;
      }
      return record.foundNothing() ? LoadLeases.State.FOUND_NOTHING : LoadLeases.State.HELD;
    }
  }

  /** True while {@code token} holds the lease of {@code key}. */
  boolean holds(Object key, String token) {
    synchronized (lock) {
      LeaseRecord record = leases.get(key);
      return record != null && !record.foundNothing() && record.token().equals(token);
    }
  }

  /**
   * Releases the lease of {@code key} if {@code token} still holds it, leaving the found-nothing
   * mark for {@code markMillis} when positive.
   */
  void release(Object key, String token, long markMillis) {
    synchronized (lock) {
      LeaseRecord record = leases.get(key);
      if (record == null || record.foundNothing() || !record.token().equals(token)) {
        return;
      }
      if (markMillis > 0) {
        leases.put(key, new LeaseRecord(token, true, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(markMillis)));
      } else {
        leases.remove(key);
      }
    }
  }

  /**
   * Takes the lease of {@code key} away from its holder, as when the holder was paused past its
   * lease (or Redis failed over): the key is free for another instance, whose newer fencing token
   * then refuses the old holder's write.
   *
   * @return true when a lease was held
   */
  public boolean loseLease(Object key) {
    synchronized (lock) {
      LeaseRecord record = leases.get(key);
      if (record == null || record.foundNothing()) {
        return false;
      }
      leases.remove(key);
      return true;
    }
  }

  /** The state of the lease of {@code key}, for assertions; not counted as a call. */
  public LoadLeases.State leaseStateOf(Object key) {
    return leaseState(key);
  }

  /** A random holder token, as {@code RedisLoadLeases} draws one per lease. */
  static String newToken() {
    return UUID.randomUUID().toString();
  }
}
