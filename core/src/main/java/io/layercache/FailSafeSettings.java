package io.layercache;

import java.time.Duration;
import java.util.Objects;

/**
 * Fail-safe (stale-if-error) for loads through {@link LayerCache#get(Object, Loader)} and JCache
 * read-through.
 *
 * <ul>
 *   <li>With fail-safe on, an expired entry is kept (not served) until it is {@code maxStaleness}
 *       old, counted from when it was written. When the loader then throws or exceeds
 *       {@code loaderTimeout}, that last-known-good value is returned instead of an error, and
 *       cached again for {@code throttle} so the failing origin is not asked again at once. A
 *       {@link io.layercache.event.CacheEvent.FailSafeActivated} event reports each activation.
 *   <li>{@code loaderTimeout} bounds how long a caller waits for a load (with or without fail-safe):
 *       on timeout the caller gets the stale value (fail-safe) or a
 *       {@link javax.cache.integration.CacheLoaderException}; the load goes on in the background and
 *       its value is cached when it arrives.
 *   <li>Off by default: plain JCache semantics (an expired entry is gone).
 * </ul>
 *
 * @param enabled       whether stale values may be served when a load fails
 * @param maxStaleness  the oldest a value may be, since written, to be served stale
 * @param throttle      how long a value served stale is cached again before the next attempt
 * @param loaderTimeout the longest a caller waits for a load, or null for no limit
 */
public record FailSafeSettings(boolean enabled, Duration maxStaleness, Duration throttle, Duration loaderTimeout) {

  /** Validates the settings; messages name the setting. */
  public FailSafeSettings {
    requirePositive(maxStaleness, "fail-safe.max-staleness");
    requirePositive(throttle, "fail-safe.throttle");
    if (loaderTimeout != null) {
      requirePositive(loaderTimeout, "fail-safe.loader-timeout");
    }
    if (throttle.compareTo(maxStaleness) > 0) {
      throw new IllegalArgumentException("fail-safe.throttle (" + throttle + ") must not exceed fail-safe.max-staleness ("
          + maxStaleness + ")");
    }
  }

  /** Off; 1 h maximum staleness and 30 s throttle once turned on; no loader timeout. */
  public static FailSafeSettings disabled() {
    return new FailSafeSettings(false, Duration.ofHours(1), Duration.ofSeconds(30), null);
  }

  /** The same settings, turned on. */
  public FailSafeSettings enabled(Duration maxStaleness, Duration throttle) {
    return new FailSafeSettings(true, maxStaleness, throttle, loaderTimeout);
  }

  /** The same settings with a loader timeout. */
  public FailSafeSettings withLoaderTimeout(Duration timeout) {
    return new FailSafeSettings(enabled, maxStaleness, throttle, Objects.requireNonNull(timeout, "loaderTimeout"));
  }

  /** How long expired entries must be kept physically: the maximum staleness when enabled. */
  public long retainExpiredMillis() {
    return enabled ? maxStaleness.toMillis() : 0;
  }

  private static void requirePositive(Duration duration, String setting) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + duration);
    }
  }
}
