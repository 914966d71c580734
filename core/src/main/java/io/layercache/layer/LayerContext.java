package io.layercache.layer;

import io.layercache.TimeSource;
import java.util.Objects;

/**
 * What a {@link LayerFactory} gets to build a layer for one cache.
 *
 * @param cacheName    the cache's name
 * @param classLoader  the cache manager's class loader, for resolving value classes
 * @param timeSource   the clock the coordinator judges expiry with
 * @param evictionSink where the layer reports entries it dropped by itself
 * @param expiringEntries whether entries may carry an expiry; false for an eternal cache, so a
 *                     layer can skip expiry bookkeeping
 * @param shared       resources shared by the caches of the same cache manager (clients, pools)
 * @param valueType    the cache's value type ({@code Object} when untyped), for checking decoded values
 * @param retainExpiredMillis how long past its expiry a layer must keep an entry (fail-safe's
 *                     maximum staleness), on top of its own reclaim grace; 0 when not needed
 * @param tagRetentionMillis how long a layer offering {@link TagTimestamps} must keep a tag's stamp
 *                     after its last raise, on top of its own reclaim grace: longer than any entry
 *                     written before the raise can still be served from any layer of the cache;
 *                     0 for ever (some layer keeps entries without a cap)
 * @param bareEternalValues whether an in-process layer may keep an eternal, untagged value as the
 *                     bare value, without its write stamp: true only for a cache whose one layer it
 *                     is and that has no access expiry, where nothing orders writes by the stamp, so
 *                     a hit reads the value straight from the map node (no wrapper to follow)
 * @param <K>          the key type
 * @param <V>          the value type
 */
public record LayerContext<K, V>(String cacheName, ClassLoader classLoader, TimeSource timeSource,
    EvictionSink<K, V> evictionSink, boolean expiringEntries, SharedResources shared, Class<V> valueType,
    long retainExpiredMillis, long tagRetentionMillis, boolean bareEternalValues) {

  /** Validates the context. */
  public LayerContext {
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(classLoader, "classLoader");
    Objects.requireNonNull(timeSource, "timeSource");
    Objects.requireNonNull(evictionSink, "evictionSink");
    Objects.requireNonNull(shared, "shared");
    Objects.requireNonNull(valueType, "valueType");
    if (tagRetentionMillis < 0) {
      throw new IllegalArgumentException("tagRetentionMillis must be >= 0 (0: for ever), was " + tagRetentionMillis);
    }
  }

  /** A context whose layer keeps every entry with its stamp. */
  public LayerContext(String cacheName, ClassLoader classLoader, TimeSource timeSource, EvictionSink<K, V> evictionSink,
      boolean expiringEntries, SharedResources shared, Class<V> valueType, long retainExpiredMillis,
      long tagRetentionMillis) {
    this(cacheName, classLoader, timeSource, evictionSink, expiringEntries, shared, valueType, retainExpiredMillis,
        tagRetentionMillis, false);
  }

  /** A context whose tag stamps are kept for ever (no layer ttl bounds the entries). */
  public LayerContext(String cacheName, ClassLoader classLoader, TimeSource timeSource, EvictionSink<K, V> evictionSink,
      boolean expiringEntries, SharedResources shared, Class<V> valueType, long retainExpiredMillis) {
    this(cacheName, classLoader, timeSource, evictionSink, expiringEntries, shared, valueType, retainExpiredMillis, 0);
  }
}
