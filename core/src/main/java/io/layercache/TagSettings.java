package io.layercache;

import java.time.Duration;

/**
 * How tag invalidations made by other instances reach this one, when the cache has a shared layer
 * that keeps tag timestamps (Redis).
 *
 * <p>Each instance keeps a local copy of the timestamps of the tags it has read. A read of a tagged
 * entry uses that copy while it is younger than {@code refreshInterval}, and reads the shared layer
 * again (one round trip for all of the entry's tags) once it is older, or when the tag is not
 * known yet. Without an invalidation bus, this interval bounds how long an instance may still serve
 * a copy from its memory layer after another instance invalidated its tag. Reads of untagged
 * entries never look at tags.
 *
 * @param refreshInterval how old this instance's copy of a tag's timestamp may be before a read
 *                        of an entry carrying the tag asks the shared layer again; 0: on every
 *                        such read. {@link #DEFAULT_REFRESH_INTERVAL} by default.
 */
public record TagSettings(Duration refreshInterval) {

  /**
   * The default refresh interval, 5 seconds: a tag read by a hot path then costs one shared-layer
   * round trip per tag every 5 s per instance, and invalidations made elsewhere show within the
   * same bound as the other cross-instance defaults (the Redis layer's 5 s expired-entry grace,
   * the circuit breaker's 5 s break).
   */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

  /** Validates the settings; messages name the setting. */
  public TagSettings {
    if (refreshInterval == null || refreshInterval.isNegative()) {
      throw new IllegalArgumentException("tags.refresh-interval must be >= 0 (0: on every read of a tagged entry), was "
          + refreshInterval);
    }
  }

  /** The defaults: a 5 s refresh interval. */
  public static TagSettings defaults() {
    return new TagSettings(DEFAULT_REFRESH_INTERVAL);
  }

  /** The same settings with another refresh interval. */
  public TagSettings withRefreshInterval(Duration interval) {
    return new TagSettings(interval);
  }

  /** The refresh interval in milliseconds. */
  public long refreshMillis() {
    return refreshInterval.toMillis();
  }
}
