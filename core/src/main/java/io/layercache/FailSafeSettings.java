package io.layercache;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.util.Objects;

/**
 * Fail-safe (stale-if-error) and loader timeouts, for loads through
 * {@link LayerCache#get(Object, Loader)} and JCache read-through.
 *
 * <ul>
 *   <li>With fail-safe on, an expired entry is kept (not served) until it is {@code maxStaleness}
 *       old, counted from when it was written. When the loader then throws or times out, that
 *       last-known-good value is returned instead of an error, and cached again for
 *       {@code throttle} so the failing origin is not asked again at once. A
 *       {@link io.layercache.event.CacheEvent.FailSafeActivated} event reports each activation,
 *       and {@link LayerCache#entryInfo} shows the value as {@link EntryInfo.Freshness#FAIL_SAFE}.
 *   <li>{@code softTimeout}: when a last-known-good value exists, the longest a caller waits for
 *       the loader before getting that value. Only with fail-safe on (without it no stale value
 *       is kept).
 *   <li>{@code hardTimeout}: the longest any caller waits for the loader; then it gets the stale
 *       value (fail-safe) or a {@link javax.cache.integration.CacheLoaderException} naming the
 *       setting.
 *   <li>After either timeout the load goes on in the background and its value is cached when it
 *       arrives, never over a newer write.
 *   <li>Off by default: plain JCache semantics (an expired entry is gone, loads are not bounded).
 * </ul>
 *
 * @param enabled      whether stale values may be served when a load fails
 * @param maxStaleness the oldest a value may be, since written, to be served stale
 * @param throttle     how long a value served stale is cached again before the next attempt
 * @param softTimeout  the longest a caller waits for a load when a stale value exists, or null
 * @param hardTimeout  the longest a caller waits for a load, or null for no limit
 */
public record FailSafeSettings(boolean enabled, Duration maxStaleness, Duration throttle,
    @Nullable Duration softTimeout, @Nullable Duration hardTimeout) {

  /** Validates the settings; messages name the setting. */
  public FailSafeSettings {
    requirePositive(maxStaleness, "fail-safe.max-staleness");
    requirePositive(throttle, "fail-safe.throttle");
    if (softTimeout != null) {
      requirePositive(softTimeout, "fail-safe.soft-timeout");
    }
    if (hardTimeout != null) {
      requirePositive(hardTimeout, "fail-safe.hard-timeout");
    }
    if (softTimeout != null && hardTimeout != null && softTimeout.compareTo(hardTimeout) >= 0) {
      throw new IllegalArgumentException("fail-safe.soft-timeout (" + softTimeout
          + ") must be shorter than fail-safe.hard-timeout (" + hardTimeout + ")");
    }
    if (throttle.compareTo(maxStaleness) > 0) {
      throw new IllegalArgumentException("fail-safe.throttle (" + throttle + ") must not exceed fail-safe.max-staleness ("
          + maxStaleness + ")");
    }
  }

  /** Off; 1 h maximum staleness and 30 s throttle once turned on; no timeouts. */
  public static FailSafeSettings disabled() {
    return new FailSafeSettings(false, Duration.ofHours(1), Duration.ofSeconds(30), null, null);
  }

  /** The same settings, turned on. */
  public FailSafeSettings enabled(Duration maxStaleness, Duration throttle) {
    return new FailSafeSettings(true, maxStaleness, throttle, softTimeout, hardTimeout);
  }

  /** The same settings with a hard loader timeout. */
  public FailSafeSettings withHardTimeout(Duration timeout) {
    return new FailSafeSettings(enabled, maxStaleness, throttle, softTimeout, Objects.requireNonNull(timeout, "hardTimeout"));
  }

  /** The same settings with a soft loader timeout (applies when a stale value exists). */
  public FailSafeSettings withSoftTimeout(Duration timeout) {
    return new FailSafeSettings(enabled, maxStaleness, throttle, Objects.requireNonNull(timeout, "softTimeout"), hardTimeout);
  }

  /** True when a value written at {@code writtenAtMillis} may still be served stale at {@code nowMillis}. */
  public boolean servesStale(long writtenAtMillis, long nowMillis) {
    return enabled && nowMillis - writtenAtMillis <= maxStaleness.toMillis();
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
