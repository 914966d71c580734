package io.layercache.coordinator;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.Loader;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.FencedWriteException;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.LoadEvent;
import io.layercache.metrics.MetricsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.integration.CacheLoaderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load path of one cache, for {@code LayerCache.get(key, loader)} and JCache read-through:
 * what happens after a miss.
 *
 * <ol>
 *   <li>Single-flight: one load per key in this JVM ({@link InFlightLoads}) and, when
 *       distributed, one per cluster ({@link DistributedSingleFlight}).
 *   <li>Without a loader timeout the load runs on the caller's thread. With one (fail-safe soft
 *       timeout when a stale value is at hand, else the hard timeout) it runs on the bounded load
 *       pool and every caller waits at most its own timeout; a load that outlives its callers stays
 *       the key's one load (later callers join it, no second thread), keeps its lease, and stores
 *       its value when it arrives.
 *   <li>Fail-safe: a failed or timed-out load returns the stale value, cached again for the
 *       throttle period and marked {@code FAIL_SAFE}.
 *   <li>The loaded value is stored ({@link EntryWrites#storeLoaded}), fenced with the lease token;
 *       a {@code null} is remembered as "not found" when negative caching is on.
 * </ol>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LoadPath<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(LoadPath.class);

  private final String name;
  final LayerStack<K, V> stack;
  private final EntryWrites<K, V> writes;
  final DistributedSingleFlight<K> distributed;
  private final InFlightLoads<K, V> inFlight = new InFlightLoads<>();
  private final MetricsRecorder metrics;
  private final EventHub<K> events;
  private final Executor loadPool;
  private final FailSafeSettings failSafe;
  final long notFoundTtlMillis;
  final TypeCheck<K, V> types;

  LoadPath(CoreParts<K, V> parts, EntryWrites<K, V> writes) {
    this.name = parts.name();
    this.stack = parts.stack();
    this.writes = writes;
    this.distributed = parts.distributed();
    this.metrics = parts.cacheMetrics();
    this.events = parts.events();
    this.loadPool = parts.loadPool();
    this.failSafe = parts.failSafe();
    Duration notFoundTtl = parts.negativeCaching().ttl();
    this.notFoundTtlMillis = notFoundTtl == null ? 0 : notFoundTtl.toMillis();
    this.types = parts.types();
  }

  /** Loads {@code key} once per JVM (and per cluster with distributed single-flight), with {@code stale} as the fail-safe fallback. */
  V load(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> stale,
      OperationContext operation) {
    boolean soft = stale != null && failSafe.softTimeout() != null;
    Duration bound = soft ? failSafe.softTimeout() : failSafe.hardTimeout();
    if (bound == null) {
      return inFlight.load(key, () -> flight(key, loader, options, stale, operation), () -> joined(key),
          failure -> wrap(key, failure));
    }
    InFlightLoads.Flight<V> flight = inFlight.startOrJoin(key, started -> loadPool.execute(() -> {
      started.runningOn(Thread.currentThread());
      try {
        started.future().complete(flight(key, loader, options, stale, operation));
      } catch (Throwable t) {
        started.future().completeExceptionally(wrap(key, t));
      }
    }), () -> joined(key));
    return await(key, flight, bound, soft, stale);
  }

  /**
   * Loads the keys a batch read missed, keeping the one-key rules: a key already loading (here or,
   * with distributed single-flight, on another instance) is joined, not loaded again; the keys
   * this call claims are loaded with one batch call and stored like single loads (fenced, "not
   * found" remembered, fail-safe per key). Runs on the caller's thread; no loader timeout applies.
   *
   * @param stale each key's stale fallback, if any
   * @return the values found, by key (keys not found are absent)
   */
  Map<K, V> loadAll(List<K> keys, Map<K, StoredEntry<V>> stale, BatchLoader<K, V> batch, EntryOptions options) {
    Map<K, InFlightLoads.Flight<V>> flights = new LinkedHashMap<>();
    List<K> owned = new ArrayList<>();
    try {
      for (K key : keys) {
        InFlightLoads.Claim<V> claim = inFlight.claim(key, () -> joined(key));
        flights.put(key, claim.flight());
        if (claim.owned()) {
          owned.add(key);
        }
      }
      if (!owned.isEmpty()) {
        new BatchLoad<>(this, owned, flights, stale, batch, options).run();
      }
    } finally {
      // A claimed flight must end, whatever happened, or later readers of its key would wait for ever.
      for (K key : owned) {
        flights.get(key).future().completeExceptionally(new CacheLoaderException("The batch load of key '" + key
            + "' of cache '" + name + "' ended without a value"));
      }
    }
    Map<K, V> result = new LinkedHashMap<>();
    flights.forEach((key, flight) -> {
      V value = join(key, flight);
      if (value != null) {
        result.put(key, value);
      }
    });
    return result;
  }

  private V join(K key, InFlightLoads.Flight<V> flight) {
    try {
      return flight.future().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : wrap(key, e.getCause());
    }
  }

  /**
   * Loads {@code key} once per JVM for a caller that stores the value itself (an entry processor's
   * read-through, whose second run decides what is stored), and hands it to {@code use}. The load
   * stays the key's flight until {@code use} returns, so readers that join it find the value
   * stored; a caller that joins another flight gets that flight's (stored) value.
   */
  <R> R fetch(K key, Loader<? super K, ? extends V> loader, java.util.function.Function<V, R> use) {
    InFlightLoads.Claim<V> claim = inFlight.claim(key, () -> joined(key));
    if (!claim.owned()) {
      return use.apply(join(key, claim.flight()));
    }
    V value;
    long started = System.nanoTime();
    boolean returned = false;
    try {
      value = loader.load(key);
      returned = true;
      loaderCalled(true, started);
      if (value != null) {
        types.requireValue(value);
      }
    } catch (Throwable t) {
      if (!returned) {
        loaderCalled(false, started);
      }
      RuntimeException failure = t instanceof Error error ? new CacheLoaderException(error) : wrap(key, t);
      claim.flight().future().completeExceptionally(failure);
      if (t instanceof Error error) {
        throw error;
      }
      throw t instanceof RuntimeException runtime ? runtime : failure;
    }
    try {
      return use.apply(value);
    } finally {
      claim.flight().future().complete(value); // joiners get the value even if the processor failed
    }
  }


  /** What one load does inside its flight: re-check, coordinate across instances, load and store. */
  V flight(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> stale,
      OperationContext operation) {
    if (!distributed.isActive() || stack.isSkippingRemote(operation)) {
      // Another thread of this JVM may have stored the key between the miss and the flight; its
      // store went through the local layers too, so only they are checked.
      LayerStack.Located<K, V> appeared = stack.peekLocal(key);
      if (appeared != null) {
        return appeared.entry().isNotFound() ? null : appeared.entry().value();
      }
    }
    if (stack.isSkippingRemote(operation)) {
      // graceful mode, the shared layer just failed in this operation: no cross-instance coordination either
      return loadAndStore(key, loader, options, stale, LoadLease.NONE, operation);
    }
    return distributed.load(key, () -> sharedValue(key, operation), this::announcedValue, lease -> {
      if (lease == LoadLease.NONE && distributed.isActive() && events.isActive()) {
        // no lease: the shared layer failed (graceful) or another instance's load outlasted single-flight.wait
        events.publish(new CacheEvent.InFlightBypassed<>(name, key));
      }
      return loadAndStore(key, loader, options, stale, lease, operation);
    }, () -> joined(key), operation.leaseSeenHeld());
  }

  /** Waits for a flight run on the load pool at most {@code bound}; then fail-safe or a timeout error. */
  private V await(K key, InFlightLoads.Flight<V> flight, Duration bound, boolean soft, StoredEntry<V> stale) {
    try {
      return flight.future().get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      metrics.recordLoad(soft ? LoadEvent.SOFT_TIMEOUT : LoadEvent.HARD_TIMEOUT);
      if (events.isActive()) {
        events.publish(new CacheEvent.LoaderTimedOut<>(name, key, soft, bound));
      }
      CacheLoaderException timeout = new CacheLoaderException("The load of key '" + key + "' of cache '" + name
          + "' did not finish within " + bound.toMillis() + " ms (fail-safe." + (soft ? "soft" : "hard")
          + "-timeout); it goes on in the background and stores its value when it arrives");
      if (stale != null) {
        return serveStale(key, stale, timeout, stack.newOperation());
      }
      throw timeout;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoaderException("Interrupted while waiting for the load of key '" + key + "' of cache '" + name
          + "'; it goes on in the background", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RejectedExecutionException rejected) {
        if (stale != null) {
          return serveStale(key, stale, rejected, stack.newOperation());
        }
        throw wrap(key, rejected); // a CacheLoaderException naming the full load pool
      }
      throw cause instanceof RuntimeException runtime ? runtime : wrap(key, cause);
    }
  }

  /** Counts one reader's loader call started at {@code started} (nanoTime). */
  void loaderCalled(boolean succeeded, long started) {
    metrics.recordLoad(succeeded ? LoadEvent.LOADED : LoadEvent.LOAD_FAILED);
    metrics.recordLoadTime(System.nanoTime() - started);
  }

  private void joined(K key) {
    metrics.recordLoad(LoadEvent.IN_FLIGHT_JOINED);
    if (events.isActive()) {
      events.publish(new CacheEvent.InFlightJoined<>(name, key));
    }
  }

  RuntimeException wrap(K key, Throwable failure) {
    if (failure instanceof CacheLoaderException || failure instanceof ReentrantLoadException
        || failure instanceof LayerFailureException) {
      return (RuntimeException) failure;
    }
    if (failure instanceof RejectedExecutionException) {
      return new CacheLoaderException("Cannot load key '" + key + "' of cache '" + name + "': all "
          + BoundedPool.MAX_LOADS + " threads of the load pool are busy with loads that outlived their timeout", failure);
    }
    return new CacheLoaderException("Loading key '" + key + "' of cache '" + name + "' failed: " + failure, failure);
  }

  /** The live value of {@code key} another instance may have stored (read through the stack, so it is backfilled). */
  DistributedSingleFlight.Found<V> sharedValue(K key, OperationContext operation) {
    StoredEntry<V> entry = stack.get(key, operation);
    if (entry == null || !entry.isLive(stack.time())) {
      return null;
    }
    return new DistributedSingleFlight.Found<>(entry.isNotFound() ? null : entry.value());
  }

  /**
   * The value another instance's load stored, as the release notice that ended this instance's
   * wait carried it: served to the callers waiting here, but not copied into the in-process
   * layers, because an invalidation of a newer write may have reached this instance before the
   * notice did (a read of the shared layer, made after it, would see the newer value); the next
   * read of the key goes to the shared layer. Null (read the shared layer instead) for a tagged
   * entry, whose tags only a read can judge, or one no longer live.
   */
  DistributedSingleFlight.Found<V> announcedValue(StoredEntry<V> entry) {
    if (!entry.tags().isEmpty() || !entry.isLive(stack.time())) {
      return null;
    }
    return new DistributedSingleFlight.Found<>(entry.isNotFound() ? null : entry.value());
  }

  /**
   * One load: calls the loader (fail-safe fallback on failure) and stores its value, fenced with
   * the token of the cross-instance lease it runs under (0 for none).
   */
  private V loadAndStore(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> stale,
      LoadLease lease, OperationContext operation) {
    boolean publish = events.isActive();
    long started = System.nanoTime();
    if (publish) {
      events.publish(new CacheEvent.LoadStarted<>(name, key));
    }
    V value;
    try {
      value = loader.load(key);
      loaderCalled(true, started);
    } catch (Exception | Error e) {
      loaderCalled(false, started);
      if (publish) {
        events.publish(new CacheEvent.LoadFailed<>(name, key, e, Duration.ofNanos(System.nanoTime() - started)));
      }
      if (stale != null && e instanceof Exception failure) {
        return serveStale(key, stale, failure, operation);
      }
      if (e instanceof Error error) {
        throw error;
      }
      throw e instanceof RuntimeException runtime ? runtime : wrap(key, e);
    }
    if (publish) {
      events.publish(new CacheEvent.LoadSucceeded<>(name, key, value != null, Duration.ofNanos(System.nanoTime() - started)));
    }
    if (value != null) {
      types.requireValue(value);
      store(key, value, options, stale, lease, operation);
    } else if (notFoundTtlMillis > 0) {
      storeNotFound(key, stale, lease.fence(), operation);
    }
    return value;
  }

  /**
   * Stores a loaded value, fenced with its lease's token; when the lease's layer held no entry as
   * it granted the lease, the store tries the write on "absent" first (one round trip less).
   */
  void store(K key, V value, EntryOptions options, StoredEntry<V> stale, LoadLease lease,
      OperationContext operation) {
    try {
      writes.storeLoaded(key, value, options, stale, lease.fence(), lease.entryAbsentWhenTaken(), operation);
    } catch (FencedWriteException e) {
      LOG.info("cache={} key={} {}", name, key, e.getMessage());
    }
  }

  void storeNotFound(K key, StoredEntry<V> stale, long fence, OperationContext operation) {
    try {
      if (writes.storeNotFound(key, stale, fence, notFoundTtlMillis, operation)) {
        metrics.recordLoad(LoadEvent.NOT_FOUND_STORED);
      }
    } catch (FencedWriteException e) {
      LOG.debug("cache={} key={} {}", name, key, e.getMessage());
    }
  }

  /**
   * Fail-safe: returns the last-known-good value instead of the load's error and caches it again
   * for the throttle period, unless the entry changed meanwhile.
   */
  V serveStale(K key, StoredEntry<V> stale, Exception error, OperationContext operation) {
    writes.reCacheStale(key, stale, stack.time().currentTimeMillis() + failSafe.throttle().toMillis(), operation);
    metrics.recordLoad(LoadEvent.FAIL_SAFE_SERVED);
    LOG.debug("cache={} key={} fail-safe served a stale value: {}", name, key, error.toString());
    if (events.isActive()) {
      events.publish(new CacheEvent.FailSafeActivated<>(name, key, error));
      events.publish(new CacheEvent.StaleHit<>(name, key, CacheEvent.StaleHit.Reason.FAIL_SAFE));
    }
    return stale.value();
  }
}
