package io.layercache;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Per-entry settings for one write: a time to live that overrides the cache's
 * {@link javax.cache.expiry.ExpiryPolicy}, and the tags the entry belongs to.
 *
 * <p>Immutable. Start from {@link #defaults()} and derive with the {@code with…} methods.
 *
 * @param ttl  the time to live of the entry, or {@code null} to use the cache's expiry policy
 * @param tags the tags of the entry, used by {@link LayerCache#invalidateByTag(String)}
 */
public record EntryOptions(@Nullable Duration ttl, Set<String> tags) {

  private static final EntryOptions DEFAULTS = new EntryOptions(null, Set.of());

  /** Maximum number of tags on one entry; tags are checked on every read of the entry. */
  public static final int MAX_TAGS = 64;

  /** Maximum length of one tag in UTF-8 bytes (tags travel in every remote copy of the entry). */
  public static final int MAX_TAG_BYTES = 1024;

  /**
   * Validates and freezes the options.
   *
   * @throws IllegalArgumentException if the ttl is zero or negative, or a tag is blank or there
   *     are more than {@link #MAX_TAGS} tags
   */
  public EntryOptions {
    if (ttl != null && ttl.toMillis() < 1) {
      throw new IllegalArgumentException("EntryOptions.ttl must be at least 1 ms, was " + ttl);
    }
    tags = Set.copyOf(Objects.requireNonNull(tags, "EntryOptions.tags"));
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException(
          "EntryOptions.tags holds " + tags.size() + " tags; at most " + MAX_TAGS + " are allowed");
    }
    for (String tag : tags) {
      if (tag.isBlank()) {
        throw new IllegalArgumentException("EntryOptions.tags must not contain a blank tag");
      }
      if (tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
        throw new IllegalArgumentException("EntryOptions.tags: a tag is longer than " + MAX_TAG_BYTES + " UTF-8 bytes");
      }
    }
  }

  /** Options that add nothing to the cache's configuration. */
  public static EntryOptions defaults() {
    return DEFAULTS;
  }

  /** Returns options with this time to live. */
  public EntryOptions withTtl(Duration ttl) {
    return new EntryOptions(Objects.requireNonNull(ttl, "ttl"), tags);
  }

  /** Returns options with these tags (replacing any previous tags). */
  public EntryOptions withTags(String... tags) {
    return new EntryOptions(ttl, Set.copyOf(Arrays.asList(tags)));
  }

  /** Returns options with these tags (replacing any previous tags). */
  public EntryOptions withTags(Collection<String> tags) {
    return new EntryOptions(ttl, Set.copyOf(tags));
  }
}
