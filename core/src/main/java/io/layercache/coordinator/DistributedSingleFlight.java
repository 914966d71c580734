package io.layercache.coordinator;

import io.layercache.SingleFlightSettings;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.StoredEntry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.layercache.metrics.LoadEvent;
import io.layercache.metrics.MetricsRecorder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance single-flight: one loader call per key across every instance sharing the
 * authoritative layer. It runs inside the local single-flight, so one thread per instance and
 * key takes part.
 *
 * <ol>
 *   <li>Take the key's lease. Taken: unless the layer said, as it granted the lease, that it holds no
 *       entry for the key, read the shared layer once more (another instance may have stored the
 *       value since this one missed); then load under the lease's fencing token.
 *   <li>Held elsewhere: wait, polling with backoff, until the lease is released or the wait ends:
 *       {@code single-flight.wait} (a caller with a loader timeout stops waiting for the flight
 *       itself at its own timeout; the flight waits on). Then read
 *       the shared layer; a value there (or a "found nothing" mark on the lease) is the answer.
 *   <li>Released without a value (the holder's load failed): compete for the lease again. Wait
 *       exhausted: the caller's timeout handler answers (stale value or timeout error), or
 *       without one, load without a lease; the compare-and-set store keeps any newer value.
 *   <li>The shared layer unreachable: graceful mode loads locally, strict mode fails.
 * </ol>
 *
 * @param <K> the key type
 */
public final class DistributedSingleFlight<K> {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedSingleFlight.class);
  private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * The longest pause between polls while the layer's release notices are heard: the poll is then
   * only the fallback for a notice lost or a holder that died. Below the 100 ms "found nothing"
   * mark, so a poll still sees it.
   */
  private static final long MAX_POLL_HEARD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * What another instance left in the shared layer: a value, or a remembered "not found" (null).
   */
  public record Found<V>(V value) {}

  /** A load that stores its value with the fencing token of the lease it runs under. */
  @FunctionalInterface
  public interface FencedLoad<V> {
    V load(LoadLease lease);
  }

  private final String cacheName;
  private final ConcurrentHashMap<K, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  /** Leases this instance's reads took with their shared read, until a flight of the key claims one. */
  private final ConcurrentHashMap<K, Offer> offers = new ConcurrentHashMap<>();
  private final LoadLeases<K> leases;
  private final SingleFlightSettings settings;
  private final boolean graceful;
  private final MetricsRecorder metrics;

  /**
   * @param leases the shared layer's leases, or null when no layer offers any (then every load is local)
   */
  public DistributedSingleFlight(String cacheName, LoadLeases<K> leases, SingleFlightSettings settings,
      boolean graceful, MetricsRecorder metrics) {
    this.metrics = metrics;
    this.cacheName = cacheName;
    this.leases = settings.distributed() ? leases : null;
    this.settings = settings;
    this.graceful = graceful;
  }

  /** True when loads are coordinated across instances. */
  public boolean isActive() {
    return leases != null;
  }

  /**
   * Loads {@code key} once across instances.
   *
   * @param readShared  what the shared layer holds live for the key, or null for nothing
   * @param load        the load, storing its value with the fencing token of its lease
   * @param onWait      called once when this caller waits for another instance
   * @return the value loaded here or by another instance (null when the loader found nothing)
   */
  public <V> V load(K key, Supplier<Found<V>> readShared, FencedLoad<V> load, Runnable onWait) {
    return load(key, readShared, stored -> null, load, onWait, false);
  }

  /**
   * {@link #load}, where {@code announced} says what a value another instance's load stored is
   * worth to this caller when the layer's release notice carried it (its {@link Found}, or null
   * to read the shared layer instead), and {@code seenHeld} that the caller's read found the lease
   * held by another instance a moment ago: it waits at once, without asking for the lease or its
   * state again first.
   */
  public <V> V load(K key, Supplier<Found<V>> readShared, Function<StoredEntry<V>, Found<V>> announced,
      FencedLoad<V> load, Runnable onWait, boolean seenHeld) {
    if (leases == null) {
      return load.load(LoadLease.NONE);
    }
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    boolean waited = false;
    boolean held = seenHeld;
    while (true) {
      LoadLeases.Lease taken;
      try {
        taken = claimOrTake(key, held);
      } catch (LayerFailureException e) {
        return degrade(key, load, e);
      }
      if (taken != null) {
        metrics.recordLoad(LoadEvent.LEASE_TAKEN);
        return loadUnder(new LoadLease(taken), readShared, load);
      }
      waited = waited || startWaiting(onWait);
      LoadLeases.State state;
      Waiter self = new Waiter();
      try {
        state = awaitRelease(key, deadline, held, self);
        held = false;
      } catch (LayerFailureException e) {
        return degrade(key, load, e);
      }
      if (state == null && offers.containsKey(key)) {
        continue; // a read of this instance took the lease meanwhile: claim it
      }
      Settled<V> settled = afterWait(key, state, self, announced, readShared, load);
      if (settled != null) {
        return settled.value();
      }
      // news of the key but no value yet, or released without one (the holder's load failed): again
    }
  }

  /** A lease this instance's read offered for {@code key}, else (unless just seen held) a new one, else null. */
  private LoadLeases.Lease claimOrTake(K key, boolean held) {
    LoadLeases.Lease offered = claimOffered(key);
    return offered != null || held ? offered : leases.tryAcquire(key, settings.lease());
  }

  /** Counts and reports a caller's first wait for another instance; true. */
  private boolean startWaiting(Runnable onWait) {
    metrics.recordLoad(LoadEvent.LEASE_WAIT);
    onWait.run();
    return true;
  }

  /** What a caller ends with after waiting for another instance's load. */
  private record Settled<V>(V value) {}

  /** The value the release notice that woke {@code self} carried, when the caller can use it; else null. */
  @SuppressWarnings("unchecked") // the layer's notices carry entries of its value type
  private <V> Settled<V> fromNotice(Waiter self, Function<StoredEntry<V>, Found<V>> announced) {
    StoredEntry<?> stored = self.announced;
    Found<V> found = stored == null ? null : announced.apply((StoredEntry<V>) stored);
    if (found == null) {
      return null;
    }
    metrics.recordLoad(LoadEvent.SERVED_BY_OTHER_INSTANCE);
    return new Settled<>(found.value());
  }

  /**
   * After a wait for another instance's load ({@code state}: null for news of the key, else the
   * lease's state at the deadline or release): its value (as the release notice carried it, else
   * read from the shared layer), its "found nothing", a load of our own
   * when its holder outlasted {@code single-flight.wait}, or null to compete for the lease again.
   */
  private <V> Settled<V> afterWait(K key, LoadLeases.State state, Waiter self,
      Function<StoredEntry<V>, Found<V>> announced, Supplier<Found<V>> readShared, FencedLoad<V> load) {
    // also when a poll found the lease free first: the notice may have come in the meantime
    Settled<V> noticed = state != LoadLeases.State.FOUND_NOTHING ? fromNotice(self, announced) : null;
    if (noticed != null) {
      return noticed;
    }
    if (state == LoadLeases.State.FOUND_NOTHING) {
      metrics.recordLoad(LoadEvent.SERVED_BY_OTHER_INSTANCE);
      return new Settled<>(null);
    }
    Found<V> shared = readShared.get();
    if (shared != null) {
      metrics.recordLoad(LoadEvent.SERVED_BY_OTHER_INSTANCE);
      return new Settled<>(shared.value());
    }
    if (state == LoadLeases.State.HELD) {
      metrics.recordLoad(LoadEvent.LEASE_WAIT_TIMEOUT);
      LOG.debug("cache={} key={} another instance's load took longer than single-flight.wait ({}); loading here",
          cacheName, key, settings.maxWait());
      return new Settled<>(load.load(LoadLease.NONE));
    }
    return null;
  }

  private <V> V loadUnder(LoadLease lease, Supplier<Found<V>> readShared, FencedLoad<V> load) {
    boolean foundNothing = false;
    try {
      Found<V> shared = lease.entryAbsentWhenTaken() ? null : readShared.get();
      if (shared != null) {
        metrics.recordLoad(LoadEvent.SERVED_BY_OTHER_INSTANCE);
        return shared.value();
      }
      V value = load.load(lease);
      foundNothing = value == null;
      return value;
    } finally {
      lease.finish(foundNothing);
    }
  }

  /**
   * Takes the lease of {@code key} for a batch load: the lease, {@link LoadLease#NONE} without
   * distributed single-flight or (graceful mode) with the shared layer down, or null when another
   * instance holds it (then the key takes the one-key path, which waits for that instance).
   */
  public LoadLease tryLease(K key) {
    return tryLease(key, LoadEvent.LEASE_TAKEN, null);
  }


  /**
   * Takes the lease for a background refresh: null (and no refresh) when another instance holds
   * it, so one refresh runs per key across instances. Without distributed single-flight, or in
   * graceful mode with the shared layer down, {@link LoadLease#NONE} lets the refresh run locally.
   * The caller must {@link #release} what it got.
   */
  public LoadLease tryRefreshLease(K key) {
    return tryLease(key, null, LoadEvent.REFRESH_SKIPPED);
  }

  /** Takes the lease, counting {@code taken} (if any) or {@code heldElsewhere} (if any); null when held elsewhere. */
  private LoadLease tryLease(K key, LoadEvent taken, LoadEvent heldElsewhere) {
    if (leases == null) {
      return LoadLease.NONE;
    }
    try {
      LoadLeases.Lease lease = leases.tryAcquire(key, settings.lease());
      LoadEvent outcome = lease == null ? heldElsewhere : taken;
      if (outcome != null) {
        metrics.recordLoad(outcome);
      }
      return lease == null ? null : new LoadLease(lease);
    } catch (LayerFailureException e) {
      if (!graceful) {
        throw e;
      }
      metrics.recordLoad(LoadEvent.COORDINATION_DEGRADED);
      return LoadLease.NONE;
    }
  }


  /** Releases a lease from {@link #tryRefreshLease}. */
  public void release(LoadLease lease) {
    lease.finish(false);
  }

  /** True when a read that will load should take the key's lease with its shared read. */
  public boolean leasesWithReads() {
    return leases != null;
  }

  /** The lease time of this cache's load leases. */
  public Duration leaseTime() {
    return settings.lease();
  }

  /**
   * Offers the lease a read of {@code key} took with its shared read to the key's next flight
   * (a flight already waiting here is woken to claim it), so the load runs under it without a
   * second round trip.
   *
   * @return the offer, which the reading operation withdraws when it ends: a lease no flight
   *         claimed is released then, so no other instance waits for it
   */
  public Offer offer(K key, LoadLeases.Lease lease) {
    Offer offer = new Offer(key, lease);
    Offer replaced = offers.put(key, offer);
    if (replaced != null) {
      replaced.withdraw(); // cannot happen while the lease is exclusive; never keep two
    }
    wake(key);
    return offer;
  }

  /** The lease a read of this instance offered for {@code key}, now this caller's, or null. */
  private LoadLeases.Lease claimOffered(K key) {
    Offer offer = offers.remove(key);
    return offer != null && offer.claimed.compareAndSet(false, true) ? offer.lease : null;
  }

  /** A lease a read took, offered to the key's flight. */
  public final class Offer {
    private final K key;
    private final LoadLeases.Lease lease;
    private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();

    private Offer(K key, LoadLeases.Lease lease) {
      this.key = key;
      this.lease = lease;
    }

    /** Releases the lease unless a flight claimed it. */
    public void withdraw() {
      if (claimed.compareAndSet(false, true)) {
        offers.remove(key, this);
        lease.close();
      }
    }
  }

  /**
   * Wakes this instance's callers waiting for another instance's load of {@code key}: the
   * invalidation bus brought news of the key (a stored value or a change), so they read the
   * shared layer now instead of at their next poll.
   */
  public void wake(K key) {
    Set<Waiter> waiting = waiters.get(key);
    if (waiting != null) {
      waiting.forEach(waiter -> waiter.wake(null));
    }
  }

  /** A caller parked in {@link #awaitRelease}. */
  private static final class Waiter {
    final Thread thread = Thread.currentThread();
    volatile boolean woken;
    /** The entry the release notice that woke it carried, if any. */
    volatile StoredEntry<?> announced;

    void wake(StoredEntry<?> stored) {
      if (stored != null) {
        announced = stored;
      }
      woken = true;
      LockSupport.unpark(thread);
    }
  }

  /**
   * Waits until the lease is no longer held (its state), news of the key arrives (null: read the
   * shared layer) from the invalidation bus or the layer's release notice
   * ({@link LoadLeases#watchRelease}), or the deadline passes (HELD). Polls with backoff, so it
   * also ends when both are silent.
   */
  private LoadLeases.State awaitRelease(K key, long deadline, boolean seenHeld, Waiter self) {
    Set<Waiter> waiting = waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    waiting.add(self);
    try (LoadLeases.Watch released = leases.watchRelease(key, self::wake)) {
      long pause = FIRST_POLL_NANOS;
      boolean poll = !seenHeld; // just seen held: a first poll would say the same
      while (true) {
        if (offers.containsKey(key)) {
          return null; // a read of this instance took the lease (it woke us, or came before we listened): claim it
        }
        LoadLeases.State state = poll ? leases.state(key) : LoadLeases.State.HELD;
        poll = true;
        if (state != LoadLeases.State.HELD) {
          return state;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return LoadLeases.State.HELD;
        }
        LockSupport.parkNanos(Math.min(pause, left));
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new CacheException("cache '" + cacheName + "': interrupted while waiting for another instance to load "
              + "key " + key);
        }
        if (self.woken) {
          return null; // news of the key: read the shared layer
        }
        pause = Math.min(pause * 2, released.isLive() ? MAX_POLL_HEARD_NANOS : MAX_POLL_NANOS);
      }
    } finally {
      waiting.remove(self);
      waiters.computeIfPresent(key, (k, set) -> set.isEmpty() ? null : set);
    }
  }

  private <V> V degrade(K key, FencedLoad<V> load, LayerFailureException e) {
    if (!graceful) {
      throw e;
    }
    metrics.recordLoad(LoadEvent.COORDINATION_DEGRADED);
    LOG.debug("cache={} key={} cannot coordinate the load across instances ({}); loading locally", cacheName, key,
        e.getMessage());
    return load.load(LoadLease.NONE);
  }
}
