package io.layercache;

import java.time.Duration;

/**
 * Stale-while-revalidate for loads through {@link LayerCache#get(Object, Loader)} and JCache
 * read-through.
 *
 * <ul>
 *   <li>Within {@code staleWhileRevalidate} after an entry expired, a read returns the expired
 *       value at once and starts one background refresh for the key (readers meanwhile get the
 *       same stale value; the refresh shares the key's single-flight).
 *   <li>A refresh that fails is logged and reported as a {@code LoadFailed} event, never thrown to
 *       a reader; the stale value stays until the window ends.
 *   <li>A refresh that completes after the entry was removed, cleared or rewritten stores nothing.
 *   <li>Off by default (null).
 * </ul>
 *
 * @param staleWhileRevalidate how long after expiry a value is still served while it is refreshed,
 *                             or null for off
 */
public record RefreshSettings(Duration staleWhileRevalidate) {

  /** Validates the settings; messages name the setting. */
  public RefreshSettings {
    if (staleWhileRevalidate != null && (staleWhileRevalidate.isNegative() || staleWhileRevalidate.isZero())) {
      throw new IllegalArgumentException("refresh.stale-while-revalidate must be positive, was " + staleWhileRevalidate);
    }
  }

  /** Off. */
  public static RefreshSettings disabled() {
    return new RefreshSettings(null);
  }

  /** Stale-while-revalidate with the given window. */
  public static RefreshSettings staleWhileRevalidate(Duration window) {
    return new RefreshSettings(java.util.Objects.requireNonNull(window, "window"));
  }

  /** The window in milliseconds, 0 when off. */
  public long windowMillis() {
    return staleWhileRevalidate == null ? 0 : staleWhileRevalidate.toMillis();
  }
}
