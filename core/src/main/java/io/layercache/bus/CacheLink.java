package io.layercache.bus;

import io.layercache.KeyPattern;
import io.layercache.codec.CodecSettings;
import io.layercache.codec.DecodeResult;
import io.layercache.codec.KeyDigest;
import io.layercache.codec.KryoEntryCodec;
import io.layercache.coordinator.CacheCore;
import io.layercache.coordinator.Change;
import io.layercache.coordinator.ChangeListener;
import io.layercache.layer.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins one cache to a {@link BusHub}: publishes the cache's committed changes, and applies other
 * instances' changes of the same cache name to this instance's in-process layers only (never
 * re-published).
 *
 * <table>
 *   <caption>What each committed change sends</caption>
 *   <tr><th>change</th><th>message</th></tr>
 *   <tr><td>put, update, every remove form, invalidate</td><td>DELETE of the key (batched per operation)</td></tr>
 *   <tr><td>a value stored by a load or refresh</td><td>SET with the entry when {@code broadcast-set} and it
 *       fits {@code broadcast-set-max-bytes}, else DELETE</td></tr>
 *   <tr><td>clear</td><td>CLEAR</td></tr>
 *   <tr><td>tag invalidation</td><td>TAG with the barrier's stamp</td></tr>
 *   <tr><td>expiry, eviction, a remembered "not found"</td><td>nothing: entries carry their absolute expiry
 *       to every layer, evictions are each instance's own, and a "not found" replaces nothing</td></tr>
 * </table>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheLink<K, V> implements ChangeListener<K, V>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CacheLink.class);
  private static final int MAX_KEYS_PER_MESSAGE = 1_000;
  /** A priming message older than this only invalidates: the fence remembers invalidations this long. */
  private static final long PRIMING_MAX_AGE_MILLIS = 60_000;

  private final String cacheName;
  private final CacheCore<K, V> core;
  private final BusHub hub;
  private final Class<K> keyType;
  private final KryoEntryCodec<Object> keys;
  private final KryoEntryCodec<V> values;
  private final KeyDigest digest;
  private final int keyBudget;
  private volatile boolean keyWarningLogged;

  CacheLink(String cacheName, CacheCore<K, V> core, BusHub hub, Class<K> keyType, Class<V> valueType,
      CodecSettings codec, ClassLoader classLoader) {
    this.cacheName = cacheName;
    this.core = core;
    this.hub = hub;
    this.keyType = keyType;
    this.keys = new KryoEntryCodec<>(codec, classLoader, Object.class);
    this.values = new KryoEntryCodec<>(codec, classLoader, valueType);
    this.digest = KeyDigest.forCache("bus:" + cacheName);
    this.keyBudget = hub.settings().maxMessageBytes() - BusMessageCodec.overhead(hub.settings().source(), cacheName);
  }

  String cacheName() {
    return cacheName;
  }

  /** Publishing needs no previous values: a plain put stays one round trip to the shared layer. */
  @Override
  public boolean needsPreviousValues() {
    return false;
  }

  /** Never throws: a change that cannot be described on the bus clears the cache's memory layers everywhere. */
  @Override
  public void onChanges(List<Change<K, V>> changes) {
    try {
      publish(changes);
    } catch (RuntimeException e) {
      LOG.warn("cache={} changes could not be published on the bus; other instances' memory layers are cleared "
          + "instead", cacheName, e);
      clearEverywhere();
    }
  }

  private void publish(List<Change<K, V>> changes) {
    List<byte[]> deletes = new ArrayList<>();
    int deleteBytes = 0;
    for (Change<K, V> change : changes) {
      switch (change.type()) {
        case CREATED, UPDATED, WRITTEN, UPDATED_AND_EXPIRED, REMOVED, SHARED_COPY_DROPPED -> {
          if (primes(change)) {
            continue;
          }
          byte[] key = keyBytes(change.key());
          if (key == null) {
            clearEverywhere();
            return;
          }
          if (deletes.size() == MAX_KEYS_PER_MESSAGE || deleteBytes + key.length + 4 > keyBudget) {
            hub.publish(BusMessage.Action.DELETE, cacheName, 0L, deletes, null);
            deletes = new ArrayList<>();
            deleteBytes = 0;
          }
          deletes.add(key);
          deleteBytes += key.length + 4;
        }
        case CLEARED -> hub.publish(BusMessage.Action.CLEAR, cacheName, 0L, List.of(), null);
        case PATTERN_DELETED -> hub.publish(BusMessage.Action.PATTERN, cacheName, 0L,
            List.of(change.detail().getBytes(StandardCharsets.UTF_8)), null);
        case TAG_INVALIDATED -> hub.publish(BusMessage.Action.TAG, cacheName, change.stamp(),
            List.of(change.detail().getBytes(StandardCharsets.UTF_8)), null);
        default -> { } // expiry, eviction, "not found": see the class comment
      }
    }
    if (!deletes.isEmpty()) {
      hub.publish(BusMessage.Action.DELETE, cacheName, 0L, deletes, null);
    }
  }

  /**
   * Sends a loaded entry for priming, when configured, signed and small enough; false to send a
   * DELETE instead. Unsigned messages never carry values: anyone able to publish on the channel
   * could otherwise make every instance serve a value of their choosing.
   */
  private boolean primes(Change<K, V> change) {
    StoredEntry<V> stored = change.stored();
    if (!hub.settings().broadcastSet() || !hub.signs() || stored == null || change.origin() == Change.Origin.WRITE
        || change.origin() == Change.Origin.INVALIDATE) {
      return false;
    }
    byte[] key = keyBytes(change.key());
    if (key == null) {
      return false;
    }
    byte[] value;
    try {
      value = values.encode(digest.of(key), stored);
    } catch (RuntimeException e) {
      return false; // not encodable or too large for the codec: peers load it themselves
    }
    if (value.length > hub.settings().primingLimit() || value.length + key.length > keyBudget) {
      return false;
    }
    hub.publish(BusMessage.Action.SET, cacheName, 0L, List.of(key), value);
    return true;
  }

  private byte @Nullable [] keyBytes(@Nullable K key) {
    try {
      return keys.encode(0L, StoredEntry.of(key, StoredEntry.ETERNAL, 0L, Set.of()));
    } catch (RuntimeException e) {
      if (!keyWarningLogged) {
        keyWarningLogged = true;
        LOG.warn("cache={} a key of {} cannot be sent on the bus ({}); other instances' memory layers are cleared "
            + "instead. Allow the class in the codec settings.", cacheName,
            key == null ? null : key.getClass().getName(), e.getMessage());
      }
      return null;
    }
  }

  /** A key that cannot be named on the bus: every instance drops the whole cache from memory. */
  private void clearEverywhere() {
    hub.publish(BusMessage.Action.CLEAR, cacheName, 0L, List.of(), null);
  }

  /** Applies another instance's message to this instance's in-process layers; null when applied. */
  @Nullable BusRejection apply(BusMessage message, boolean verified, BusCounters counters) {
    return switch (message.action()) {
      case DELETE -> invalidateKeys(message);
      case SET -> verified ? prime(message, counters) : refuseUnsignedValue(message);
      case CLEAR -> {
        core.remote().clear();
        yield null;
      }
      case TAG -> invalidateTag(message);
      case PATTERN -> deleteMatching(message);
      default -> BusRejection.MALFORMED; // a HEARTBEAT never reaches a cache
    };
  }

  /** A DELETE: drops this instance's copies of every key of the batch. */
  private @Nullable BusRejection invalidateKeys(BusMessage message) {
    boolean badKey = false;
    for (byte[] bytes : message.items()) {
      K key = key(bytes);
      if (key == null) {
        badKey = true; // go on: the other keys of the batch must still be dropped
      } else {
        core.remote().invalidate(key);
      }
    }
    if (badKey) {
      core.remote().clear(); // a key this instance cannot name may be cached here: drop everything
      return BusRejection.BAD_KEY;
    }
    return null;
  }

  /** A TAG: raises the tag's barrier here, unless its stamp lies beyond the replay window. */
  private @Nullable BusRejection invalidateTag(BusMessage message) {
    if (message.items().size() != 1) {
      return BusRejection.MALFORMED;
    }
    long latest = (System.currentTimeMillis() + hub.settings().replayWindow().toMillis()) * 1000L;
    if (message.stamp() > latest) {
      return BusRejection.REPLAYED; // a barrier in the future would hide the tag's new entries too
    }
    core.remote().invalidateTag(new String(message.items().get(0), StandardCharsets.UTF_8), message.stamp());
    return null;
  }

  /** An unsigned (or unverifiable) SET: its value is never served; the key's old copy is dropped. */
  private BusRejection refuseUnsignedValue(BusMessage message) {
    if (message.items().size() == 1) {
      K key = key(message.items().get(0));
      if (key != null) {
        core.remote().invalidate(key);
      }
    }
    return BusRejection.UNSIGNED;
  }

  private @Nullable BusRejection deleteMatching(BusMessage message) {
    if (message.items().size() != 1) {
      return BusRejection.MALFORMED;
    }
    try {
      core.remote().deleteMatching(KeyPattern.of(new String(message.items().get(0), StandardCharsets.UTF_8)));
      return null;
    } catch (IllegalArgumentException e) {
      return BusRejection.MALFORMED;
    }
  }

  private @Nullable BusRejection prime(BusMessage message, BusCounters counters) {
    if (message.items().size() != 1 || message.value() == null) {
      return BusRejection.MALFORMED;
    }
    byte[] keyBytes = message.items().get(0);
    K key = key(keyBytes);
    if (key == null) {
      return BusRejection.BAD_KEY;
    }
    if (System.currentTimeMillis() - message.timestamp() > PRIMING_MAX_AGE_MILLIS) {
      core.remote().invalidate(key); // held back too long (a retry queue): its value may be outdated
      return null;
    }
    DecodeResult<V> decoded = values.decode(message.value(), digest.of(keyBytes));
    if (!(decoded instanceof DecodeResult.Decoded<V> entry)) {
      core.remote().invalidate(key); // the sender's value is unreadable here: at least drop the old one
      return BusRejection.BAD_VALUE;
    }
    if (core.remote().prime(key, entry.entry())) {
      counters.primed.increment();
    }
    return null;
  }

  private @Nullable K key(byte[] bytes) {
    DecodeResult<Object> decoded = keys.decode(bytes, 0L);
    if (decoded instanceof DecodeResult.Decoded<Object> d && keyType.isInstance(d.entry().value())) {
      return keyType.cast(d.entry().value());
    }
    return null;
  }

  /** See {@link io.layercache.coordinator.RemoteChanges#repair}. */
  boolean repair(boolean onlyIfReachable) {
    return core.remote().repair(onlyIfReachable);
  }

  /** Leaves the hub. */
  @Override
  public void close() {
    hub.unlink(this);
  }
}
