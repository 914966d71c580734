package io.layercache.redis;

import io.layercache.codec.CodecSettings;
import io.layercache.layer.LayerSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * The definition of a Redis (L2) layer.
 *
 * @param connection        how to reach Redis
 * @param namespace         the first segment of every key, {@code [A-Za-z0-9._-]{1,64}}; separates deployments sharing a server
 * @param ttl               the longest an entry stays in Redis whatever its expiry, or null for no cap
 * @param expiredEntryGrace how long Redis keeps an entry past its expiry, so every instance sees it
 *                          expire (JCache expiry events) instead of it vanishing; also the room later used for
 *                          serving stale values
 * @param oversized         what to do with a value larger than {@code codec.maxValueBytes}
 * @param codec             the value codec's settings (allow-list, size caps, compression)
 * @param scanTimeout       the longest a walk over the cache's keys ({@code clear()}, iteration, {@code removeAll()})
 *                          waits for Redis in total; each SCAN page also waits at most the call bound
 */
public record RedisLayerSpec(RedisConnection connection, String namespace, Duration ttl, Duration expiredEntryGrace,
    OversizePolicy oversized, CodecSettings codec, Duration scanTimeout) implements LayerSpec {

  /** The layer type name. */
  public static final String TYPE = "redis";

  /** The default of {@link #scanTimeout()} ({@code redis.scan-timeout}). */
  public static final Duration DEFAULT_SCAN_TIMEOUT = Duration.ofSeconds(30);

  /** Validates the definition; messages name the setting. */
  public RedisLayerSpec {
    Objects.requireNonNull(connection, "redis connection");
    Objects.requireNonNull(namespace, "redis.namespace");
    Objects.requireNonNull(oversized, "redis.oversized");
    Objects.requireNonNull(codec, "redis.codec");
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("redis.ttl must be positive, was " + ttl);
    }
    if (expiredEntryGrace == null || expiredEntryGrace.isNegative()) {
      throw new IllegalArgumentException("redis.expired-entry-grace must be >= 0, was " + expiredEntryGrace);
    }
    if (scanTimeout == null || scanTimeout.isNegative() || scanTimeout.isZero()) {
      throw new IllegalArgumentException("redis.scan-timeout must be positive, was " + scanTimeout);
    }
    new RedisKeys(namespace, "probe", null);
  }

  /** A definition with the default scan timeout (30 s). */
  public RedisLayerSpec(RedisConnection connection, String namespace, Duration ttl, Duration expiredEntryGrace,
      OversizePolicy oversized, CodecSettings codec) {
    this(connection, namespace, ttl, expiredEntryGrace, oversized, codec, DEFAULT_SCAN_TIMEOUT);
  }

  /** A layer on one standalone server with the defaults. */
  public static RedisLayerSpec of(String address) {
    return of(RedisConnection.Addresses.standalone(address));
  }

  /** A layer on the given connection with the defaults. */
  public static RedisLayerSpec of(RedisConnection connection) {
    return new RedisLayerSpec(connection, "lc", null, Duration.ofSeconds(5), OversizePolicy.SKIP, CodecSettings.defaults());
  }

  /** The same layer under another namespace. */
  public RedisLayerSpec withNamespace(String namespace) {
    return new RedisLayerSpec(connection, namespace, ttl, expiredEntryGrace, oversized, codec, scanTimeout);
  }

  /** The same layer with a cap on how long an entry stays in Redis. */
  public RedisLayerSpec withTtl(Duration ttl) {
    return new RedisLayerSpec(connection, namespace, ttl, expiredEntryGrace, oversized, codec, scanTimeout);
  }

  /** The same layer with other codec settings. */
  public RedisLayerSpec withCodec(CodecSettings codec) {
    return new RedisLayerSpec(connection, namespace, ttl, expiredEntryGrace, oversized, codec, scanTimeout);
  }

  /** The same layer with another oversize policy. */
  public RedisLayerSpec withOversized(OversizePolicy oversized) {
    return new RedisLayerSpec(connection, namespace, ttl, expiredEntryGrace, oversized, codec, scanTimeout);
  }

  /** The same layer with another bound on a whole walk over the cache's keys. */
  public RedisLayerSpec withScanTimeout(Duration scanTimeout) {
    return new RedisLayerSpec(connection, namespace, ttl, expiredEntryGrace, oversized, codec, scanTimeout);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CodecSettings codecSettings() {
    return codec;
  }
}
