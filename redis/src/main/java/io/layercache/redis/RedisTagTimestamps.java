package io.layercache.redis;

import io.layercache.layer.TagTimestamps;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Tag timestamps in Redis: one key per tag, {@code <namespace>:<cache>:t:{<tag>}}, holding the
 * newest invalidation stamp (microseconds since the epoch, decimal).
 *
 * <ul>
 *   <li>Raising is one script call on one key ({@code tag-raise.lua}): a max-set, so concurrent
 *       invalidations from several instances never lower the stamp. O(1) whatever the number of
 *       tagged entries; no index, no SCAN, never {@code KEYS}.
 *   <li>The tag is the key's hash tag, so tags spread over a Cluster's slots; reading several tags
 *       is one {@code MGET} per slot, sent together, waited for within one call bound.
 *   <li>The key is kept {@code keepMillis} after its last raise, never shortened; for ever when
 *       that is 0 (some layer of the cache keeps entries without a cap, so a stamp could have to
 *       hide an entry for ever). {@code clear()} leaves tag keys alone: other instances may still
 *       hold copies of the entries they hide.
 * </ul>
 */
final class RedisTagTimestamps implements TagTimestamps {

  private static final LuaScripts RAISE = LuaScripts.load("tag-raise");

  private final RedissonClient client;
  private final RedisKeys keys;
  private final byte[] keepMillis;
  private final LuaScripts.Awaiter await;

  /**
   * @param keepMillis how long a tag key is kept after its last raise, 0 for ever
   * @param await      waits for a reply within the layer's call bound
   */
  RedisTagTimestamps(RedissonClient client, RedisKeys keys, long keepMillis, LuaScripts.Awaiter await) {
    this.client = client;
    this.keys = keys;
    this.keepMillis = ascii(Long.toString(keepMillis));
    this.await = await;
  }

  @Override
  public long raise(String tag, long stamp) {
    return RAISE.run(client, await, List.of(keys.tagKey(tag)), ascii(Long.toString(stamp)), keepMillis);
  }

  @Override
  public long[] read(List<String> tags) {
    String[] tagKeys = new String[tags.size()];
    for (int i = 0; i < tagKeys.length; i++) {
      tagKeys[i] = keys.tagKey(tags.get(i));
    }
    Map<String, String> found = await.await(client.getBuckets(StringCodec.INSTANCE).<String>getAsync(tagKeys),
        "MGET tags");
    long[] stamps = new long[tagKeys.length];
    for (int i = 0; i < tagKeys.length; i++) {
      stamps[i] = parse(found.get(tagKeys[i]));
    }
    return stamps;
  }

  /** A stored stamp; 0 for none, or for bytes that are not one (read as "never invalidated"). */
  private static long parse(String stored) {
    if (stored == null) {
      return 0;
    }
    try {
      return Long.parseLong(stored);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
