package io.layercache;

import org.jspecify.annotations.Nullable;
import java.time.Duration;

/**
 * Background refresh for loads through {@link LayerCache#get(Object, Loader)} and JCache
 * read-through: stale-while-revalidate and refresh-ahead.
 *
 * <ul>
 *   <li>Stale-while-revalidate: within {@code staleWhileRevalidate} after an entry expired, a read
 *       returns the expired value at once and starts one background refresh for the key (readers
 *       meanwhile get the same stale value).
 *   <li>Refresh-ahead: a read of a live entry past {@code refreshAhead} of its lifetime (e.g. 0.8:
 *       the last fifth) returns it and starts one background refresh, so hot keys are reloaded
 *       before they expire and readers never wait. Values served by fail-safe are not refreshed
 *       ahead (the throttle protects the failing origin).
 *   <li>One refresh per key at a time, per instance; with distributed single-flight, per cluster.
 *   <li>A refresh that fails is logged and reported as a {@code LoadFailed} event, never thrown to
 *       a reader. A refresh that completes after the entry was removed, cleared or rewritten
 *       stores nothing.
 *   <li>Both off by default.
 * </ul>
 *
 * @param staleWhileRevalidate how long after expiry a value is still served while it is refreshed,
 *                             or null for off
 * @param refreshAhead         the fraction of an entry's lifetime after which a read refreshes it
 *                             in the background, in (0, 1), or 0 for off
 * @param timeout              how long a background refresh may take: past it the refresh is
 *                             counted and reported as timed out and its late value is dropped
 *                             (the key stays marked as refreshing until the loader returns, so a
 *                             hanging origin holds one thread per key, never one per read);
 *                             {@link #DEFAULT_TIMEOUT} by default
 */
public record RefreshSettings(@Nullable Duration staleWhileRevalidate, double refreshAhead, Duration timeout) {

  /** The default refresh timeout: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Validates the settings; messages name the setting. */
  public RefreshSettings {
    if (staleWhileRevalidate != null && (staleWhileRevalidate.isNegative() || staleWhileRevalidate.isZero())) {
      throw new IllegalArgumentException("refresh.stale-while-revalidate must be positive, was " + staleWhileRevalidate);
    }
    if (!(refreshAhead == 0 || refreshAhead > 0 && refreshAhead < 1)) {
      throw new IllegalArgumentException("refresh.refresh-ahead must be a fraction of the lifetime between 0 and 1"
          + " (0: off), was " + refreshAhead);
    }
    java.util.Objects.requireNonNull(timeout, "refresh.timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("refresh.timeout must be positive, was " + timeout);
    }
  }

  /** Stale-while-revalidate and refresh-ahead with the default timeout. */
  public RefreshSettings(Duration staleWhileRevalidate, double refreshAhead) {
    this(staleWhileRevalidate, refreshAhead, DEFAULT_TIMEOUT);
  }

  /** Stale-while-revalidate only (refresh-ahead off). */
  public RefreshSettings(Duration staleWhileRevalidate) {
    this(staleWhileRevalidate, 0);
  }

  /** Off. */
  public static RefreshSettings disabled() {
    return new RefreshSettings(null, 0);
  }

  /** Stale-while-revalidate with the given window. */
  public static RefreshSettings staleWhileRevalidate(Duration window) {
    return new RefreshSettings(java.util.Objects.requireNonNull(window, "window"), 0);
  }

  /** The same settings with refresh-ahead after {@code fraction} of an entry's lifetime. */
  public RefreshSettings withRefreshAhead(double fraction) {
    return new RefreshSettings(staleWhileRevalidate, fraction, timeout);
  }

  /** The same settings with another refresh timeout. */
  public RefreshSettings withTimeout(Duration refreshTimeout) {
    return new RefreshSettings(staleWhileRevalidate, refreshAhead, refreshTimeout);
  }

  /** The window in milliseconds, 0 when off. */
  public long windowMillis() {
    return staleWhileRevalidate == null ? 0 : staleWhileRevalidate.toMillis();
  }
}
