package io.layercache;

/** What a cache does when a remote layer (Redis…) fails or its circuit breaker is open. */
public enum DegradationMode {
  /**
   * The operation fails with a {@link javax.cache.CacheException} naming the layer (at once while
   * the breaker is open). The default: JCache callers see every failure.
   */
  STRICT,
  /**
   * The failing layer is skipped: upper layers keep serving, misses go to the loader, writes and
   * atomic operations apply to the local layers only until the layer recovers.
   */
  GRACEFUL
}
