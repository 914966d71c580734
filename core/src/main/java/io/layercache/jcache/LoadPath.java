package io.layercache.jcache;

import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.Loader;
import io.layercache.TimeSource;
import io.layercache.coordinator.DistributedSingleFlight;
import io.layercache.coordinator.InFlightLoads;
import io.layercache.coordinator.LayerStack;
import io.layercache.coordinator.LoadCounters;
import io.layercache.coordinator.ReentrantLoadException;
import io.layercache.coordinator.WriteClock;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.FencedWriteException;
import io.layercache.layer.StoredEntry;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.cache.integration.CacheLoaderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load path of one cache, for {@link io.layercache.LayerCache#get(Object, Loader)} and JCache
 * read-through: what happens after a miss.
 *
 * <ol>
 *   <li>Single-flight: one load per key in this JVM ({@link InFlightLoads}) and, when
 *       distributed, one per cluster ({@link DistributedSingleFlight}), a waiter never waiting
 *       past its own soft/hard timeout.
 *   <li>The loader call, on the caller's thread, or bounded by the soft timeout (with a stale
 *       value at hand) or the hard timeout; a load that outlives the wait keeps its lease and
 *       stores its value when it arrives.
 *   <li>Fail-safe: a failed or timed-out load returns the stale value, cached again for the
 *       throttle period and marked {@code FAIL_SAFE}.
 *   <li>The loaded value is stored by the cache (events, statistics, expiry), fenced with the
 *       lease token; a {@code null} is remembered as "not found" when negative caching is on.
 * </ol>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class LoadPath<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(LoadPath.class);

  /** What the load path needs from its cache. */
  interface Owner<K, V> {
    /** Stores a loaded value over nothing or {@code stale}, fenced with {@code fence}; never throws for a fenced write. */
    void storeLoaded(K key, V value, EntryOptions options, StoredEntry<V> stale, long fence);

    /** Throws when the value is not of the cache's value type. */
    void checkValueType(V value);

    /** The key as the cache stores it (a copy when it stores by value). */
    K storedKey(K key);
  }

  private final String name;
  private final LayerStack<K, V> stack;
  private final DistributedSingleFlight<K> distributed;
  private final InFlightLoads<K, V> inFlight = new InFlightLoads<>();
  private final LoadCounters loadCounters;
  private final EventHub<K> events;
  private final Executor executor;
  private final FailSafeSettings failSafe;
  private final long notFoundTtlMillis;
  private final WriteClock writeClock;
  private final TimeSource time;
  private final Owner<K, V> owner;

  LoadPath(String name, LayerStack<K, V> stack, DistributedSingleFlight<K> distributed, LoadCounters loadCounters,
      EventHub<K> events, Executor executor, FailSafeSettings failSafe, Duration notFoundTtl, WriteClock writeClock,
      TimeSource time, Owner<K, V> owner) {
    this.name = name;
    this.stack = stack;
    this.distributed = distributed;
    this.loadCounters = loadCounters;
    this.events = events;
    this.executor = executor;
    this.failSafe = failSafe;
    this.notFoundTtlMillis = notFoundTtl == null ? 0 : notFoundTtl.toMillis();
    this.writeClock = writeClock;
    this.time = time;
    this.owner = owner;
  }

  /** Loads {@code key} once per JVM (and per cluster with distributed single-flight), with {@code stale} as the fail-safe fallback. */
  V load(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> stale) {
    return inFlight.load(key, () -> {
      if (!distributed.isActive() || stack.isSkippingRemote()) {
        // Another thread of this JVM may have stored the key between the miss and the flight;
        // its store went through the local layers too, so only they are checked (no second
        // remote read on every miss).
        LayerStack.Located<K, V> appeared = stack.peekLocal(key);
        if (appeared != null) {
          return appeared.entry().isNotFound() ? null : appeared.entry().value();
        }
      }
      if (stack.isSkippingRemote()) {
        // graceful mode, Redis just failed on this thread: no cross-instance coordination either
        return loadAndStore(key, loader, options, stale, DistributedSingleFlight.LoadLease.NONE);
      }
      return distributed.load(key, () -> sharedValue(key), lease -> loadAndStore(key, loader, options, stale, lease),
          () -> {
            if (events.isActive()) {
              events.publish(new CacheEvent.InFlightJoined<>(name, key));
            }
          }, callerBound(key, stale));
    }, () -> {
      if (events.isActive()) {
        events.publish(new CacheEvent.InFlightJoined<>(name, key));
      }
    }, failure -> failure instanceof CacheLoaderException || failure instanceof ReentrantLoadException
        || failure instanceof io.layercache.layer.LayerFailureException
        ? (RuntimeException) failure
        : new CacheLoaderException("Loading key '" + key + "' of cache '" + name + "' failed: " + failure, failure));
  }

  /**
   * The caller's own limit while another instance loads: its soft timeout (with a stale value at
   * hand) or hard timeout; when it ends first the caller gets the stale value or a timeout error.
   */
  private DistributedSingleFlight.CallerBound<V> callerBound(K key, StoredEntry<V> stale) {
    boolean soft = stale != null && failSafe.softTimeout() != null;
    Duration bound = soft ? failSafe.softTimeout() : failSafe.hardTimeout();
    if (bound == null) {
      return null;
    }
    return new DistributedSingleFlight.CallerBound<>(bound, () -> {
      loadCounters.increment(soft ? LoadCounters.Counter.SOFT_TIMEOUTS : LoadCounters.Counter.HARD_TIMEOUTS);
      CacheLoaderException timeout = new CacheLoaderException("Another instance's load of key '" + key + "' of cache '"
          + name + "' did not finish within " + bound.toMillis() + " ms (fail-safe." + (soft ? "soft" : "hard")
          + "-timeout)");
      if (stale != null) {
        return serveStale(key, stale, timeout);
      }
      throw timeout;
    });
  }

  /** The live value of {@code key} another instance may have stored (read through the stack, so it is backfilled). */
  private DistributedSingleFlight.Found<V> sharedValue(K key) {
    StoredEntry<V> entry = stack.get(key);
    if (entry == null || !entry.isLive(time)) {
      return null;
    }
    return new DistributedSingleFlight.Found<>(entry.isNotFound() ? null : entry.value());
  }

  /**
   * One load: calls the loader (with the loader timeout and fail-safe fallback) and stores its
   * value, fenced with the token of the cross-instance lease it runs under (0 for none).
   */
  private V loadAndStore(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> stale,
      DistributedSingleFlight.LoadLease lease) {
    boolean publish = events.isActive();
    long started = System.nanoTime();
    if (publish) {
      events.publish(new CacheEvent.LoadStarted<>(name, key));
    }
    V value;
    try {
      value = callLoader(key, loader, options, stale, lease);
    } catch (Exception | Error e) {
      if (publish) {
        events.publish(new CacheEvent.LoadFailed<>(name, key, e, Duration.ofNanos(System.nanoTime() - started)));
      }
      if (stale != null && e instanceof Exception failure) {
        return serveStale(key, stale, failure);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e instanceof Error error) {
        throw error;
      }
      throw new CacheLoaderException("Loading key '" + key + "' of cache '" + name + "' failed: " + e, e);
    }
    if (publish) {
      events.publish(new CacheEvent.LoadSucceeded<>(name, key, value != null, Duration.ofNanos(System.nanoTime() - started)));
    }
    if (value != null) {
      owner.checkValueType(value);
      owner.storeLoaded(key, value, options, stale, lease.fence());
    } else if (notFoundTtlMillis > 0) {
      storeNotFound(key, stale, lease.fence());
    }
    return value;
  }

  /** Negative caching: remembers the loader's "not found" over nothing or the stale entry, never over a newer write. */
  private void storeNotFound(K key, StoredEntry<V> stale, long fence) {
    try {
      StoredEntry<V> stored = stack.compute(owner.storedKey(key), now(), (k, current) -> {
        boolean replaceable = current == null || current.isNotFound() || stale != null && stale.isSameWriteAs(current);
        return replaceable ? StoredEntry.<V>notFound(now() + notFoundTtlMillis, writeClock.next()).withFence(fence) : current;
      });
      if (stored != null && stored.isNotFound()) {
        loadCounters.increment(LoadCounters.Counter.NOT_FOUND_STORED);
      }
    } catch (FencedWriteException e) {
      LOG.debug("cache={} key={} {}", name, key, e.getMessage());
    }
  }


  /**
   * Runs the loader: on this thread when no timeout applies; otherwise on the cache's executor
   * while this thread waits at most the soft timeout (when a stale value is at hand) or the hard
   * timeout. A load that outlives the wait stores its value when it arrives.
   */
  private V callLoader(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> stale,
      DistributedSingleFlight.LoadLease lease) throws Exception {
    boolean soft = stale != null && failSafe.softTimeout() != null;
    Duration timeout = soft ? failSafe.softTimeout() : failSafe.hardTimeout();
    if (timeout == null) {
      return loader.load(key);
    }
    java.util.concurrent.CompletableFuture<V> load = new java.util.concurrent.CompletableFuture<>();
    executor.execute(() -> {
      try {
        load.complete(loader.load(key));
      } catch (Throwable t) {
        load.completeExceptionally(t);
      }
    });
    try {
      return load.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
      // The load goes on: it keeps its lease (so no other instance starts a second one) and
      // stores its value when it arrives.
      lease.keepUntil(load.thenAccept(late -> {
        if (late != null) {
          owner.storeLoaded(key, late, options, stale, lease.fence());
        }
      }));
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new CacheLoaderException("Interrupted while waiting for the loader of key '" + key + "' of cache '" + name
            + "'; it goes on in the background", e);
      }
      loadCounters.increment(soft ? LoadCounters.Counter.SOFT_TIMEOUTS : LoadCounters.Counter.HARD_TIMEOUTS);
      throw new CacheLoaderException("The loader of key '" + key + "' of cache '" + name + "' did not answer within "
          + timeout.toMillis() + " ms (fail-safe." + (soft ? "soft" : "hard") + "-timeout); it goes on in the background", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw (Error) e.getCause();
    }
  }

  /**
   * Fail-safe: returns the last-known-good value instead of the load's error and caches it again
   * for the throttle period, unless the entry changed meanwhile.
   */
  private V serveStale(K key, StoredEntry<V> stale, Exception error) {
    long until = now() + failSafe.throttle().toMillis();
    stack.compute(key, now(), (k, current) -> current == null || stale.isSameWriteAs(current)
        ? stale.withExpireAt(until).withKind(StoredEntry.Kind.FAIL_SAFE) : current);
    loadCounters.increment(LoadCounters.Counter.FAIL_SAFE_SERVED);
    LOG.debug("cache={} key={} fail-safe served a stale value: {}", name, key, error.toString());
    if (events.isActive()) {
      events.publish(new CacheEvent.FailSafeActivated<>(name, key, error));
    }
    return stale.value();
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
