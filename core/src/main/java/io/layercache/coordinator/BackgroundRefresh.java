package io.layercache.coordinator;

import io.layercache.EntryOptions;
import io.layercache.Loader;
import io.layercache.TimeSource;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.FencedWriteException;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.LoadEvent;
import io.layercache.metrics.MetricsRecorder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background refreshes of one cache: stale-while-revalidate (an expired value served while
 * it is reloaded) and refresh-ahead (a live value reloaded before it expires).
 *
 * <ul>
 *   <li>One refresh per key at a time in this instance; with distributed single-flight, one per
 *       cluster (the key's lease; a held lease means another instance is refreshing).
 *   <li>Before loading, the authoritative entry is read again: a write newer than the one the
 *       reader saw is taken into the upper layers instead of loading; a refresh-ahead triggered
 *       by an upper copy whose expiry its layer capped is skipped until the authoritative entry
 *       is due.
 *   <li>The loaded value replaces the entry only if it is still the same write (a remove, clear
 *       or rewrite meanwhile wins); failures are logged, counted and published, never thrown.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class BackgroundRefresh<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundRefresh.class);

  private final String cacheName;
  private final LayerStack<K, V> stack;
  private final DistributedSingleFlight<K> distributed;
  private final MetricsRecorder metrics;
  private final EventHub<K> events;
  private final Executor loadPool;
  private final Duration timeout;
  /** Fires refresh timeouts; one daemon thread for every cache, doing nothing but reporting. */
  private static final java.util.concurrent.ScheduledThreadPoolExecutor TIMER = timer();

  private static java.util.concurrent.ScheduledThreadPoolExecutor timer() {
    java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
        runnable -> {
          Thread thread = new Thread(runnable, "layercache-refresh-timeouts");
          thread.setDaemon(true);
          return thread;
        });
    timer.setRemoveOnCancelPolicy(true); // a finished refresh leaves nothing queued behind
    return timer;
  }
  private final TimeSource time;
  private final EntryWrites<K, V> writes;
  private final TypeCheck<K, V> types;
  private final long staleWhileRevalidateMillis;
  private final double refreshAhead;
  private final Set<Object> refreshing;
  /**
   * Keys whose memory copy looks due for refresh-ahead (its expiry capped by {@code memory.ttl})
   * while the authoritative entry is not: not checked again before the time kept here.
   */
  private final com.github.benmanes.caffeine.cache.Cache<K, Long> notBefore =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

  BackgroundRefresh(CoreParts<K, V> parts, EntryWrites<K, V> writes) {
    this.cacheName = parts.name();
    this.stack = parts.stack();
    this.distributed = parts.distributed();
    this.metrics = parts.cacheMetrics();
    this.events = parts.events();
    this.loadPool = parts.loadPool();
    this.timeout = parts.refresh().timeout();
    this.time = parts.time();
    this.writes = writes;
    this.types = parts.types();
    this.refreshing = parts.refreshing();
    this.staleWhileRevalidateMillis = parts.refresh().windowMillis();
    this.refreshAhead = parts.refresh().refreshAhead();
  }

  /** True when an expired entry may still be served while it is refreshed. */
  boolean withinRevalidationWindow(StoredEntry<V> expired) {
    return staleWhileRevalidateMillis > 0 && now() < expired.expireAt() + staleWhileRevalidateMillis;
  }

  /** True when a read of the live {@code entry} should refresh it ahead of its expiry. */
  boolean dueAhead(K key, StoredEntry<V> live) {
    if (refreshAhead <= 0 || !dueAhead(live)) {
      return false;
    }
    Long checkAgainAt = notBefore.getIfPresent(key);
    if (checkAgainAt == null) {
      return true;
    }
    if (now() < checkAgainAt) {
      return false;
    }
    notBefore.invalidate(key);
    return true;
  }

  /** True while a refresh of {@code key} runs in this instance. */
  boolean isRefreshing(Object key) {
    return refreshing.contains(key);
  }

  /** Starts one background refresh of {@code key}, whose reader saw {@code seen}, unless one is running. */
  void refresh(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> seen) {
    if (!refreshing.add(key)) {
      return;
    }
    try {
      loadPool.execute(() -> run(key, loader, options, seen));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      refreshing.remove(key);
      metrics.recordLoad(LoadEvent.REFRESH_FAILED);
      LOG.warn("cache={} key={} background refresh skipped: every load thread is busy", cacheName, key);
    }
  }

  /** One refresh, on a load thread; past the refresh timeout its value is dropped. */
  private void run(K key, Loader<? super K, ? extends V> loader, EntryOptions options, StoredEntry<V> seen) {
    LoadLease lease = null;
    java.util.concurrent.ScheduledFuture<?> watchdog = null;
    RefreshRun state = new RefreshRun(Thread.currentThread());
    try {
      lease = distributed.tryRefreshLease(key);
      if (lease == null) {
        return; // another instance is refreshing this key
      }
      StoredEntry<V> stale = stillToRefresh(key, seen);
      if (stale == null) {
        return;
      }
      metrics.recordLoad(LoadEvent.REFRESH_STARTED);
      watchdog = TIMER.schedule(() -> timedOut(key, state), timeout.toNanos(), TimeUnit.NANOSECONDS);
      V fresh = loader.load(key);
      watchdog.cancel(false);
      if (state.finish() && fresh != null) {
        types.requireValue(fresh);
        writes.storeRefreshed(key, fresh, options, stale, lease.fence());
      }
    } catch (FencedWriteException e) {
      LOG.info("cache={} key={} background refresh: {}", cacheName, key, e.getMessage());
    } catch (Exception e) {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
      state.finish();
      if (!state.timedOut()) { // past the timeout the failure was reported already
        refreshFailed(key, e);
      }
    } finally {
      state.finish();
      Thread.interrupted(); // a timeout's interrupt must not reach the pool thread's next task
      if (lease != null) {
        distributed.release(lease);
      }
      refreshing.remove(key);
    }
  }

  /**
   * The refresh of {@code key} outlived the refresh timeout: reported once, its late value will be
   * dropped, and its thread interrupted (a loader that honours interrupts gives the thread back).
   */
  private void timedOut(K key, RefreshRun state) {
    if (state.timeOut()) {
      metrics.recordLoad(LoadEvent.REFRESH_FAILED);
      LOG.warn("cache={} key={} background refresh did not finish within refresh.timeout ({}); its value will be "
          + "dropped", cacheName, key, timeout);
      if (events.isActive()) {
        events.publish(new CacheEvent.LoaderTimedOut<>(cacheName, key, false, timeout));
      }
    }
  }

  /** One refresh's race between finishing and timing out; exactly one side wins. */
  private static final class RefreshRun {
    private final Thread runner;
    private boolean over;
    private boolean timedOut;

    RefreshRun(Thread runner) {
      this.runner = runner;
    }

    /** True when the refresh finished before its timeout (its outcome counts). */
    synchronized boolean finish() {
      if (over) {
        return false;
      }
      over = true;
      return true;
    }

    /** True when the timeout came first; interrupts the refresh's thread. */
    synchronized boolean timeOut() {
      if (over) {
        return false;
      }
      over = true;
      timedOut = true;
      runner.interrupt();
      return true;
    }

    /** True when the timeout came first. */
    synchronized boolean timedOut() {
      return timedOut;
    }
  }


  private void refreshFailed(K key, Exception e) {
    metrics.recordLoad(LoadEvent.REFRESH_FAILED);
    LOG.warn("cache={} key={} background refresh failed; serving the stale value until the window ends: {}",
        cacheName, key, e.toString());
    if (events.isActive()) {
      events.publish(new CacheEvent.LoadFailed<>(cacheName, key, e, Duration.ZERO));
    }
  }


  /**
   * The authoritative entry when it is still the write the reader saw and still needs the
   * refresh; else null (no load), after taking a newer write into the upper layers, or noting
   * when a not-yet-due refresh-ahead should be checked again.
   */
  private StoredEntry<V> stillToRefresh(K key, StoredEntry<V> seen) {
    long ticket = stack.backfillTicket();
    StoredEntry<V> authoritative = stack.authoritativeEntry(key, stack.newOperation());
    if (authoritative == null) {
      return null; // removed or expired away meanwhile
    }
    if (!seen.isSameWriteAs(authoritative)) {
      if (!authoritative.isNotFound() && authoritative.isLive(time)) {
        stack.refreshUpperLayers(key, authoritative, ticket);
      }
      return null;
    }
    if (authoritative.isLive(time)) {
      if (refreshAhead > 0 && dueAhead(authoritative)) {
        return authoritative;
      }
      if (refreshAhead > 0) {
        notBefore.put(key, dueAt(authoritative));
      }
      return null; // only a capped upper copy looked stale or due
    }
    return authoritative;
  }

  /** A live value past the configured fraction of its lifetime (never a fail-safe value). */
  private boolean dueAhead(StoredEntry<V> live) {
    if (live.expireAt() == StoredEntry.ETERNAL || live.kind() != StoredEntry.Kind.VALUE) {
      return false;
    }
    return now() >= dueAt(live);
  }

  private long dueAt(StoredEntry<V> live) {
    long written = WriteClock.toMillis(live.writtenAt());
    return written + (long) ((live.expireAt() - written) * refreshAhead);
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
