package io.layercache;

import org.jspecify.annotations.Nullable;
import java.time.Duration;

/**
 * Negative caching: a loader's "not found" (it returned null) is remembered for {@code ttl}, so
 * repeated lookups of a missing key do not reach the origin.
 *
 * <ul>
 *   <li>Through the JCache API a remembered "not found" is simply absent: {@code get} returns
 *       null without calling the loader, {@code containsKey} is false, iteration skips it, and
 *       any write replaces it (a {@code putIfAbsent} succeeds). No JCache event is published for it.
 *   <li>{@link LayerCache#entryInfo} shows it with {@link EntryInfo.Freshness#NOT_FOUND}.
 *   <li>It is stored in every layer, so other instances see it too. {@code getAll} honours it
 *       like {@code get}; {@code loadAll} with replace-existing asks the loader again, as JCache
 *       says it must.
 *   <li>Off by default (null): JCache semantics, every miss asks the loader.
 * </ul>
 *
 * @param ttl how long a "not found" is remembered, or null for off
 */
public record NegativeCachingSettings(@Nullable Duration ttl) {

  /** Validates the settings; messages name the setting. */
  public NegativeCachingSettings {
    if (ttl != null && (ttl.isNegative() || ttl.toMillis() < 1)) {
      throw new IllegalArgumentException("negative-caching.ttl must be at least 1 ms, was " + ttl);
    }
  }

  /** Off. */
  public static NegativeCachingSettings disabled() {
    return new NegativeCachingSettings(null);
  }

  /** Remember "not found" for {@code ttl}. */
  public static NegativeCachingSettings remembering(Duration ttl) {
    return new NegativeCachingSettings(java.util.Objects.requireNonNull(ttl, "ttl"));
  }

  /** True when on. */
  public boolean enabled() {
    return ttl != null;
  }
}
