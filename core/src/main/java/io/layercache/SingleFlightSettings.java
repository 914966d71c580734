package io.layercache;

import java.time.Duration;
import java.util.Objects;

/**
 * Single-flight: how concurrent misses of one key share one loader call.
 *
 * <ul>
 *   <li>Within one JVM it is always on: concurrent misses of a key wait for one load.
 *   <li>With {@code distributed}, instances also coordinate through the shared layer (Redis): the
 *       instance that takes the key's lease runs the loader and stores the value; the others wait
 *       at most {@code maxWait} for it to appear, then load themselves. The lease lasts
 *       {@code lease} and is renewed while the loader runs, so a dead holder frees it within one
 *       lease. A value loaded under a lease that was since taken over is refused by the shared
 *       layer (fencing), so a paused holder never overwrites the newer value.
 *   <li>When the shared layer cannot be reached, graceful mode falls back to the local
 *       single-flight; strict mode fails the read.
 *   <li>Distributed coordination costs 2 extra Redis round trips per miss; off by default.
 * </ul>
 *
 * @param distributed whether instances coordinate loads through the shared layer
 * @param lease       how long a lease lasts without renewal (at least 100 ms)
 * @param maxWait     the longest a caller waits for another instance's load before loading itself
 */
public record SingleFlightSettings(boolean distributed, Duration lease, Duration maxWait) {

  /** Validates the settings; messages name the setting. */
  public SingleFlightSettings {
    Objects.requireNonNull(lease, "single-flight.lease");
    Objects.requireNonNull(maxWait, "single-flight.wait");
    if (lease.toMillis() < 100) {
      throw new IllegalArgumentException("single-flight.lease must be at least 100 ms, was " + lease);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("single-flight.wait must not be negative, was " + maxWait);
    }
  }

  /** Local single-flight only; 10 s lease and 5 s wait once distributed is turned on. */
  public static SingleFlightSettings local() {
    return new SingleFlightSettings(false, Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  /** Distributed single-flight with the given lease and wait. */
  public static SingleFlightSettings distributed(Duration lease, Duration maxWait) {
    return new SingleFlightSettings(true, lease, maxWait);
  }
}
