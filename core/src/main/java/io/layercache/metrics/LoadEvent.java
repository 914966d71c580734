package io.layercache.metrics;

/** What a cache counts about loading, refreshing and coordinating loads across instances. */
public enum LoadEvent {
  /** A stale value was served because the loader failed or timed out (fail-safe). */
  FAIL_SAFE_SERVED,
  /** A caller stopped waiting for a load at the soft timeout. */
  SOFT_TIMEOUT,
  /** A caller stopped waiting for a load at the hard timeout. */
  HARD_TIMEOUT,
  /** A background refresh started (stale-while-revalidate or refresh-ahead). */
  REFRESH_STARTED,
  /** A background refresh failed; the reader never saw it. */
  REFRESH_FAILED,
  /** A background refresh was skipped because another instance holds the key's lease. */
  REFRESH_SKIPPED,
  /** A loader's "not found" was remembered (negative caching). */
  NOT_FOUND_STORED,
  /** A read was answered by a remembered "not found" without calling the loader. */
  NOT_FOUND_HIT,
  /** A cross-instance load lease was taken. */
  LEASE_TAKEN,
  /** A caller waited for another instance's load. */
  LEASE_WAIT,
  /** A caller got the value another instance loaded. */
  SERVED_BY_OTHER_INSTANCE,
  /** Another instance's load outlasted {@code single-flight.wait}, or the caller's own timeout. */
  LEASE_WAIT_TIMEOUT,
  /** The shared layer failed, so a load ran without cross-instance coordination (graceful mode). */
  COORDINATION_DEGRADED,
  /**
   * A reader's loader call returned (a value or "not found"); a batch load counts once per call.
   * Background refreshes count as {@link #REFRESH_STARTED} and {@link #REFRESH_FAILED} instead.
   */
  LOADED,
  /** A reader's loader call threw (whether fail-safe then served a stale value or not). */
  LOAD_FAILED,
  /** A caller joined a load of the same key already in flight in this JVM (local single-flight). */
  IN_FLIGHT_JOINED,
  /** A stale value was served while it is revalidated in the background (stale-while-revalidate). */
  STALE_WHILE_REVALIDATE_SERVED
}
