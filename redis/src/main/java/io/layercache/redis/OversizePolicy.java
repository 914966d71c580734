package io.layercache.redis;

/** What a Redis layer does with a value whose encoding exceeds {@code redis.codec.max-value-bytes}. */
public enum OversizePolicy {
  /** Keep it out of Redis (upper layers still hold it) and count it; any older copy in Redis is deleted. */
  SKIP,
  /** Refuse the write with an {@link IllegalArgumentException} naming the limit. */
  REFUSE
}
