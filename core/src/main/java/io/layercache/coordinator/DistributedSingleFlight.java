package io.layercache.coordinator;

import io.layercache.SingleFlightSettings;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.LoadLeases;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
 *   <li>Take the key's lease. Taken: read the shared layer once more (another instance may have
 *       stored the value since this one missed), else load under the lease's fencing token.
 *   <li>Held elsewhere: wait, polling with backoff, until the lease is released or
 *       {@code single-flight.wait} ends; then read the shared layer. A value there is the answer.
 *   <li>Released without a value (the holder's load failed): compete for the lease again.
 *       Wait exhausted: load without a lease; the compare-and-set store keeps any newer value.
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
   * What another instance left in the shared layer: a value, or a remembered "not found" (null).
   */
  public record Found<V>(V value) {}

  /** A load that stores its value with the given fencing token (0: unfenced). */
  @FunctionalInterface
  public interface FencedLoad<V> {
    V load(long fence);
  }

  private final String cacheName;
  private final LoadLeases<K> leases;
  private final SingleFlightSettings settings;
  private final boolean graceful;
  private final LongAdder leasesTaken = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder servedByOtherInstance = new LongAdder();
  private final LongAdder waitTimeouts = new LongAdder();
  private final LongAdder degraded = new LongAdder();
  private final LongAdder refreshesSkipped = new LongAdder();

  /**
   * @param leases the shared layer's leases, or null when no layer offers any (then every load is local)
   */
  public DistributedSingleFlight(String cacheName, LoadLeases<K> leases, SingleFlightSettings settings,
      boolean graceful) {
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
   * @param readShared what the shared layer holds live for the key, or null for nothing
   * @param load       the load, storing its value with the fencing token it is given
   * @param onWait     called once when this caller waits for another instance
   * @return the value loaded here or by another instance (null when the loader found nothing)
   */
  public <V> V load(K key, Supplier<Found<V>> readShared, FencedLoad<V> load, Runnable onWait) {
    if (leases == null) {
      return load.load(0L);
    }
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    boolean waited = false;
    while (true) {
      LoadLeases.Lease lease;
      try {
        lease = leases.tryAcquire(key, settings.lease());
      } catch (LayerFailureException e) {
        return degrade(key, load, e);
      }
      if (lease != null) {
        leasesTaken.increment();
        try (lease) {
          Found<V> shared = readShared.get();
          if (shared != null) {
            servedByOtherInstance.increment();
            return shared.value();
          }
          return load.load(lease.fence());
        }
      }
      if (!waited) {
        waited = true;
        waits.increment();
        onWait.run();
      }
      boolean released;
      try {
        released = awaitRelease(key, deadline);
      } catch (LayerFailureException e) {
        return degrade(key, load, e);
      }
      Found<V> shared = readShared.get();
      if (shared != null) {
        servedByOtherInstance.increment();
        return shared.value();
      }
      if (!released) {
        waitTimeouts.increment();
        LOG.debug("cache={} key={} another instance's load took longer than single-flight.wait ({}); loading here",
            cacheName, key, settings.maxWait());
        return load.load(0L);
      }
    }
  }

  /**
   * Takes the lease for a background refresh: null (and no refresh) when another instance holds
   * it, so one refresh runs per key across instances. Without distributed single-flight, or in
   * graceful mode with the shared layer down, a lease with token 0 lets the refresh run locally.
   */
  public LoadLeases.Lease tryRefreshLease(K key) {
    if (leases == null) {
      return LOCAL;
    }
    try {
      LoadLeases.Lease lease = leases.tryAcquire(key, settings.lease());
      if (lease == null) {
        refreshesSkipped.increment();
      }
      return lease;
    } catch (LayerFailureException e) {
      if (!graceful) {
        throw e;
      }
      degraded.increment();
      return LOCAL;
    }
  }

  /** Counters for {@link io.layercache.LayerStatistics#details()}, prefixed {@code single-flight.}. */
  public Map<String, Long> diagnostics() {
    Map<String, Long> result = new TreeMap<>();
    if (leases != null) {
      result.put("single-flight.leases-taken", leasesTaken.sum());
      result.put("single-flight.waits", waits.sum());
      result.put("single-flight.served-by-other-instance", servedByOtherInstance.sum());
      result.put("single-flight.wait-timeouts", waitTimeouts.sum());
      result.put("single-flight.degraded", degraded.sum());
      result.put("single-flight.refreshes-skipped", refreshesSkipped.sum());
    }
    return result;
  }

  /** Zeroes the counters. */
  public void reset() {
    for (LongAdder adder : new LongAdder[] {leasesTaken, waits, servedByOtherInstance, waitTimeouts, degraded,
        refreshesSkipped}) {
      adder.reset();
    }
  }

  /** Polls until the lease is released (true) or the deadline passes (false). */
  private boolean awaitRelease(K key, long deadline) {
    long pause = FIRST_POLL_NANOS;
    while (leases.isHeld(key)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new CacheException("cache '" + cacheName + "': interrupted while waiting for another instance to load key "
            + key);
      }
      pause = Math.min(pause * 2, MAX_POLL_NANOS);
    }
    return true;
  }

  private <V> V degrade(K key, FencedLoad<V> load, LayerFailureException e) {
    if (!graceful) {
      throw e;
    }
    degraded.increment();
    LOG.debug("cache={} key={} cannot coordinate the load across instances ({}); loading locally", cacheName, key,
        e.getMessage());
    return load.load(0L);
  }

  /** The lease of a load that runs without cross-instance coordination. */
  private static final LoadLeases.Lease LOCAL = new LoadLeases.Lease() {
    @Override
    public long fence() {
      return 0L;
    }

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public void close() {}
  };
}
