package io.layercache;

import java.time.Instant;
import java.util.Set;

/**
 * What the cache knows about one live entry, for diagnostics: where it was found and how long
 * it lives. Reading entry info has no side effects (no statistics, no expiry update, no events).
 *
 * @param value     the value (a copy when the cache stores by value)
 * @param layer     the name of the layer that holds the entry, e.g. {@code "memory"}
 * @param writtenAt when the entry was written
 * @param expiresAt when the entry expires, or {@code null} when it never does
 * @param tags      the entry's tags
 * @param <V>       the value type
 */
public record EntryInfo<V>(V value, String layer, Instant writtenAt, Instant expiresAt, Set<String> tags) {}
