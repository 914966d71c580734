package io.layercache.redis;

import io.layercache.codec.CodecSettings;
import io.layercache.codec.DecodeResult;
import io.layercache.codec.KeyDigest;
import io.layercache.codec.KryoEntryCodec;
import io.layercache.codec.ValueTooLargeException;
import io.layercache.layer.StoredEntry;
import java.util.Set;

/**
 * Binds the core Kryo codec to the Redis layer: envelopes carry a digest of their Redis key, and
 * keys that are not Strings or numbers become canonical bytes through the same allow-listed codec.
 *
 * @param <V> the value type
 */
final class KryoEnvelopeCodec<V> implements EnvelopeCodec<V> {

  private final KryoEntryCodec<V> values;
  private final KryoEntryCodec<Object> keys;
  private final KeyDigest digest;

  KryoEnvelopeCodec(CodecSettings settings, ClassLoader classLoader, Class<V> valueType, String qualifiedCacheName) {
    this.values = new KryoEntryCodec<>(settings, classLoader, valueType);
    this.keys = new KryoEntryCodec<>(settings, classLoader, Object.class);
    this.digest = KeyDigest.forCache(qualifiedCacheName);
  }

  @Override
  public byte[] encode(StoredEntry<V> entry, byte[] keyDigestSource) {
    try {
      return values.encode(digest.of(keyDigestSource), entry);
    } catch (ValueTooLargeException e) {
      return null;
    }
  }

  @Override
  public StoredEntry<V> decode(byte[] bytes, byte[] keyDigestSource, RejectionSink sink) {
    DecodeResult<V> result = values.decode(bytes, digest.of(keyDigestSource));
    if (result instanceof DecodeResult.Decoded<V> decoded) {
      return decoded.entry();
    }
    sink.rejected(((DecodeResult.Rejected<V>) result).reason().name());
    return null;
  }

  @Override
  public byte[] keyToBytes(Object key) {
    return keys.encode(0L, StoredEntry.of(key, StoredEntry.ETERNAL, 0L, Set.of()));
  }

  @Override
  public Object keyFromBytes(byte[] bytes) {
    DecodeResult<Object> result = keys.decode(bytes, 0L);
    return result instanceof DecodeResult.Decoded<Object> decoded ? decoded.entry().value() : null;
  }

  /** The key encoding of {@link RedisKeys} backed by this codec. */
  RedisKeys.KeyBytes keyBytes() {
    return new RedisKeys.KeyBytes() {
      @Override
      public byte[] toBytes(Object key) {
        return keyToBytes(key);
      }

      @Override
      public Object fromBytes(byte[] bytes) {
        return keyFromBytes(bytes);
      }
    };
  }
}
