package io.layercache;

import org.jspecify.annotations.Nullable;
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
 * <p>A remote layer's calls are bounded by the layer itself (its hard timeout, e.g. the Redis
 * layer's {@code command-timeout × attempts + 100 ms}). {@code remoteSoftTimeout} is shorter: a
 * read through a loader that has a last-known-good value at hand (fail-safe) waits at most this
 * long for a remote layer, then goes on with that value as its stale fallback: the load runs
 * with its own timeouts and the rest of the read skips the slow layer (graceful mode only: in
 * strict mode the load's store would wait for the slow layer anyway, so the setting is refused).
 *
 * @param mode              strict (fail) or graceful (skip the layer)
 * @param failureThreshold  consecutive failures that open the breaker, at least 1
 * @param breakDuration     how long an open breaker rejects calls before probing, positive
 * @param remoteSoftTimeout how long a read with a stale fallback waits for a remote layer, or null
 */
public record ResilienceSettings(DegradationMode mode, int failureThreshold, Duration breakDuration,
    @Nullable Duration remoteSoftTimeout) {

  /** Validates the settings; messages name the setting. */
  public ResilienceSettings {
    Objects.requireNonNull(mode, "resilience.mode");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("resilience.circuit-breaker.failure-threshold must be >= 1, was " + failureThreshold);
    }
    if (breakDuration == null || breakDuration.isNegative() || breakDuration.isZero()) {
      throw new IllegalArgumentException("resilience.circuit-breaker.break-duration must be positive, was " + breakDuration);
    }
    if (remoteSoftTimeout != null && (remoteSoftTimeout.isNegative() || remoteSoftTimeout.isZero())) {
      throw new IllegalArgumentException("resilience.remote-soft-timeout must be positive, was " + remoteSoftTimeout);
    }
    if (remoteSoftTimeout != null && mode == DegradationMode.STRICT) {
      // strict mode still waits for the slow layer to store the load's value: nothing is gained
      throw new IllegalArgumentException("resilience.remote-soft-timeout needs resilience.mode = graceful");
    }
  }

  /** Settings without a remote soft timeout. */
  public ResilienceSettings(DegradationMode mode, int failureThreshold, Duration breakDuration) {
    this(mode, failureThreshold, breakDuration, null);
  }

  /** Strict mode, breaker opening after 5 failures for 5 seconds. */
  public static ResilienceSettings defaults() {
    return new ResilienceSettings(DegradationMode.STRICT, 5, Duration.ofSeconds(5));
  }

  /** The same settings in another mode. */
  public ResilienceSettings withMode(DegradationMode mode) {
    return new ResilienceSettings(mode, failureThreshold, breakDuration, remoteSoftTimeout);
  }

  /** The same settings with another breaker. */
  public ResilienceSettings withCircuitBreaker(int failureThreshold, Duration breakDuration) {
    return new ResilienceSettings(mode, failureThreshold, breakDuration, remoteSoftTimeout);
  }

  /** The same settings with a remote soft timeout (see the class comment). */
  public ResilienceSettings withRemoteSoftTimeout(Duration timeout) {
    return new ResilienceSettings(mode, failureThreshold, breakDuration, Objects.requireNonNull(timeout, "timeout"));
  }
}
