package io.layercache;

import java.time.Duration;
import java.util.Objects;

/**
 * How a cache copes with failing remote layers: the degradation mode and the circuit breaker
 * every remote layer gets.
 *
 * <p>The breaker opens when the last {@code failureThreshold} calls to the layer all failed,
 * rejects calls for {@code breakDuration}, then lets one probe call through (half-open): success
 * closes it, failure opens it again. Every transition is logged once and published as a
 * {@link io.layercache.event.CacheEvent.BreakerTransition}.
 *
 * @param mode             strict (fail) or graceful (skip the layer)
 * @param failureThreshold consecutive failures that open the breaker, at least 1
 * @param breakDuration    how long an open breaker rejects calls before probing, positive
 */
public record ResilienceSettings(DegradationMode mode, int failureThreshold, Duration breakDuration) {

  /** Validates the settings; messages name the setting. */
  public ResilienceSettings {
    Objects.requireNonNull(mode, "resilience.mode");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("resilience.circuit-breaker.failure-threshold must be >= 1, was " + failureThreshold);
    }
    if (breakDuration == null || breakDuration.isNegative() || breakDuration.isZero()) {
      throw new IllegalArgumentException("resilience.circuit-breaker.break-duration must be positive, was " + breakDuration);
    }
  }

  /** Strict mode, breaker opening after 5 failures for 5 seconds. */
  public static ResilienceSettings defaults() {
    return new ResilienceSettings(DegradationMode.STRICT, 5, Duration.ofSeconds(5));
  }

  /** The same settings in another mode. */
  public ResilienceSettings withMode(DegradationMode mode) {
    return new ResilienceSettings(mode, failureThreshold, breakDuration);
  }

  /** The same settings with another breaker. */
  public ResilienceSettings withCircuitBreaker(int failureThreshold, Duration breakDuration) {
    return new ResilienceSettings(mode, failureThreshold, breakDuration);
  }
}
