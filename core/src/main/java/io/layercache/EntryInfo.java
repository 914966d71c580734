package io.layercache;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.Set;

/**
 * What the cache knows about one entry, for diagnostics: where it was found, how fresh it is and
 * how long it lives. Reading entry info has no side effects (no statistics, no expiry update, no
 * events).
 *
 * @param value     the value (a copy when the cache stores by value); null for {@link Freshness#NOT_FOUND}
 * @param layer     the name of the layer that holds the entry, e.g. {@code "memory"}
 * @param writtenAt when the entry was written (for a fail-safe value: when the original was); null when
 *                  the cache does not keep it: a memory-only cache without access expiry keeps an
 *                  eternal, untagged value bare, without its write time, to save a wrapper per entry
 * @param expiresAt when the entry expires, or {@code null} when it never does
 * @param tags      the entry's tags
 * @param freshness whether the entry is fresh, stale (and why), or a remembered "not found"
 * @param <V>       the value type
 */
public record EntryInfo<V>(@Nullable V value, String layer, @Nullable Instant writtenAt, @Nullable Instant expiresAt, Set<String> tags,
    Freshness freshness) {

  /** How an entry stands. */
  public enum Freshness {
    /** Live: reads return it. */
    FRESH,
    /**
     * Expired but within the stale-while-revalidate window: reads through a loader return it
     * while one background refresh runs.
     */
    STALE_WHILE_REVALIDATE,
    /**
     * A last-known-good value: either expired and kept for fail-safe (served only when a load
     * fails or times out), or served after a failed load and cached again for the throttle period.
     */
    FAIL_SAFE,
    /** A loader's remembered "not found" (negative caching); reads return null without loading. */
    NOT_FOUND
  }
}
