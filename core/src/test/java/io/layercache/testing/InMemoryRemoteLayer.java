package io.layercache.testing;

import io.layercache.TimeSource;
import io.layercache.codec.DecodeResult;
import io.layercache.codec.KeyDigest;
import io.layercache.codec.KryoEntryCodec;
import io.layercache.codec.ValueTooLargeException;
import io.layercache.layer.FencedWriteException;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerTraits;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.TagTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import javax.cache.CacheException;

/**
 * A shared remote layer in this JVM that keeps the Redis layer's contract, so the coordinator's
 * remote paths (backfill, compare-and-set, leases, fencing, degradation with a
 * {@link ChaosLayer}) get unit tests without a server.
 *
 * <ul>
 *   <li>{@link LayerTraits#REMOTE}: the coordinator gives it a circuit breaker and treats it as
 *       shared and authoritative.
 *   <li>Entries live in the {@link RemoteStore} of the {@link InMemoryRemote} named by the spec's
 *       namespace, shared by every cache of that name on that remote, whichever cache manager
 *       built it.
 *   <li>Entries are stored as the core codec's envelopes: every read decodes a new object, so
 *       instances never share a value's identity, and only codec-allowed types can be stored.
 *       As with Redis, the fencing token is not part of the envelope: entries read back carry 0.
 *   <li>{@link #get} may return an entry past its expiry: the store keeps it
 *       {@code expiredEntryGrace} plus fail-safe's retention past it (a remembered "not found"
 *       only the grace).
 *   <li>{@link #compute} is an optimistic compare-and-set: read, apply the function outside any
 *       lock, write if the entry is still the one read, else read again and re-apply (at most 32
 *       times, then {@link CacheException}). The function may run more than once.
 *   <li>{@link #loadLeases} (unless the spec turns them off) imitates the Redis leases: one holder
 *       per key, a strictly increasing fencing token per lease, a short-lived found-nothing
 *       mark, fenced writes refused with {@link FencedWriteException}.
 *   <li>{@link #tagTimestamps} imitates the Redis tag keys: a max-set per tag, kept
 *       {@link LayerContext#tagRetentionMillis()} plus {@code expiredEntryGrace} after the last
 *       raise (for ever when the retention is 0), read together in one call.
 *   <li>Values over the codec's size cap are kept out of the store and any older copy deleted
 *       (the Redis layer's {@code oversized = skip}).
 *   <li>Every call is counted per {@link RemoteOperation} for assertions ({@link #calls}); the
 *       layer's {@link #diagnostics()} report {@code cas-retries}, {@code fenced-writes},
 *       {@code oversized} and {@code decode-errors} as the Redis layer does.
 * </ul>
 *
 * <p>It never fails by itself; wrap it in a {@link ChaosLayer} for faults.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class InMemoryRemoteLayer<K, V> implements Layer<K, V> {

  private static final int MAX_CAS_ATTEMPTS = 32;

  private final String cacheName;
  private final RemoteStore store;
  private final KryoEntryCodec<V> codec;
  private final KeyDigest digest;
  private final TimeSource time;
  private final long graceMillis;
  private final long notFoundGraceMillis;
  private final LoadLeases<K> leases;
  private final long foundNothingMarkMillis;
  private final long tagKeepMillis;
  private final Map<RemoteOperation, LongAdder> calls = new EnumMap<>(RemoteOperation.class);
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  InMemoryRemoteLayer(InMemoryRemoteLayerSpec spec, LayerContext<K, V> context, RemoteStore store) {
    this.cacheName = context.cacheName();
    this.store = store;
    this.codec = new KryoEntryCodec<>(spec.codec(), context.classLoader(), context.valueType());
    this.digest = KeyDigest.forCache(spec.namespace() + ":" + context.cacheName());
    this.time = context.timeSource();
    this.notFoundGraceMillis = spec.expiredEntryGrace().toMillis();
    this.graceMillis = notFoundGraceMillis + context.retainExpiredMillis();
    this.foundNothingMarkMillis = spec.foundNothingMark().toMillis();
    this.leases = spec.loadLeases() ? new Leases() : null;
    this.tagKeepMillis = context.tagRetentionMillis() == 0 ? 0 : context.tagRetentionMillis() + notFoundGraceMillis;
    for (RemoteOperation operation : RemoteOperation.values()) {
      calls.put(operation, new LongAdder());
    }
  }

  /** The shared store this layer reads and writes. */
  public RemoteStore store() {
    return store;
  }

  /** How many times this layer (this instance) was called for {@code operation}. */
  public long calls(RemoteOperation operation) {
    return calls.get(operation).sum();
  }

  /** How many times this layer was called, every operation together. */
  public long totalCalls() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Zeroes the call counters. */
  public void resetCalls() {
    calls.values().forEach(LongAdder::reset);
  }

  /**
   * The entry of {@code key} as stored now (decoded, possibly past its expiry), for assertions:
   * not counted as a call.
   */
  public StoredEntry<V> peek(K key) {
    RemoteStore.Slot slot = store.read(key, time.currentTimeMillis());
    return slot == null ? null : decode(key, slot);
  }

  @Override
  public String name() {
    return InMemoryRemoteLayerSpec.TYPE;
  }

  @Override
  public LayerTraits traits() {
    return LayerTraits.REMOTE;
  }

  @Override
  public StoredEntry<V> get(K key) {
    count(RemoteOperation.GET);
    RemoteStore.Slot slot = store.read(key, time.currentTimeMillis());
    return slot == null ? null : decode(key, slot);
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    count(RemoteOperation.PUT);
    RemoteStore.Slot slot = encode(key, entry);
    fenced(() -> {
      store.set(key, slot, entry.fence());
      return true;
    });
  }

  @Override
  public StoredEntry<V> remove(K key) {
    count(RemoteOperation.REMOVE);
    RemoteStore.Slot removed = store.getAndDelete(key, time.currentTimeMillis());
    return removed == null ? null : decode(key, removed);
  }

  @Override
  public StoredEntry<V> compute(K key,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    count(RemoteOperation.COMPUTE);
    for (int attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      RemoteStore.Slot slot = store.read(key, time.currentTimeMillis());
      StoredEntry<V> current = slot == null ? null : decode(key, slot);
      StoredEntry<V> next = remapping.apply(key, current);
      if (next == current && slot != null && current != null) {
        return current;
      }
      if (next == null && slot == null) {
        return null;
      }
      Runnable raced = store.takeInterleave();
      if (raced != null) {
        raced.run();
      }
      RemoteStore.Slot replacement = next == null ? null : encode(key, next);
      long fence = next == null ? 0L : next.fence();
      if (fenced(() -> store.compareAndSet(key, slot, replacement, fence, time.currentTimeMillis()))) {
        return next;
      }
      counter("cas-retries");
    }
    throw new CacheException("cache '" + cacheName + "': key " + key + " changed concurrently "
        + MAX_CAS_ATTEMPTS + " times in a row; giving up");
  }

  @Override
  public void clear() {
    count(RemoteOperation.CLEAR);
    store.clear();
  }

  @Override
  public Iterator<K> keys() {
    count(RemoteOperation.KEYS);
    @SuppressWarnings("unchecked")
    Iterator<K> keys = (Iterator<K>) store.keys().iterator();
    return keys;
  }

  @Override
  public long estimatedSize() {
    count(RemoteOperation.SIZE);
    return store.size();
  }

  @Override
  public LoadLeases<K> loadLeases() {
    return leases;
  }

  @Override
  public TagTimestamps tagTimestamps() {
    return new TagTimestamps() {
      @Override
      public long raise(String tag, long stamp) {
        count(RemoteOperation.TAG_RAISE);
        return store.raiseTag(tag, stamp, tagKeepMillis, time.currentTimeMillis());
      }

      @Override
      public long[] read(java.util.List<String> tags) {
        count(RemoteOperation.TAG_READ);
        long now = time.currentTimeMillis();
        return tags.stream().mapToLong(tag -> store.tagStamp(tag, now)).toArray();
      }
    };
  }

  @Override
  public Map<String, Long> diagnostics() {
    Map<String, Long> result = new TreeMap<>();
    counters.forEach((name, adder) -> result.put(name, adder.sum()));
    return result;
  }

  @Override
  public void resetDiagnostics() {
    counters.clear();
  }

  /** Entries survive, as in Redis; the layer stays registered for its call counts. */
  @Override
  public void close() {}

  /** The slot of {@code entry}, or null (a delete) when its value is over the codec's size cap. */
  private RemoteStore.Slot encode(K key, StoredEntry<V> entry) {
    byte[] bytes;
    try {
      bytes = codec.encode(digestOf(key), entry);
    } catch (ValueTooLargeException e) {
      counter("oversized");
      return null;
    }
    return new RemoteStore.Slot(bytes, physicalDeadline(entry));
  }

  private StoredEntry<V> decode(K key, RemoteStore.Slot slot) {
    DecodeResult<V> result = codec.decode(slot.bytes, digestOf(key));
    if (result instanceof DecodeResult.Decoded<V> decoded) {
      return decoded.entry();
    }
    counter("decode-errors");
    counter("decode-error." + ((DecodeResult.Rejected<V>) result).reason());
    return null;
  }

  private long digestOf(K key) {
    return digest.of(String.valueOf(key).getBytes(StandardCharsets.UTF_8));
  }

  private long physicalDeadline(StoredEntry<V> entry) {
    if (entry.expireAt() == StoredEntry.ETERNAL) {
      return Long.MAX_VALUE;
    }
    long grace = entry.isNotFound() ? notFoundGraceMillis : graceMillis;
    return Math.max(entry.expireAt(), time.currentTimeMillis() + 1) + grace;
  }

  /** Runs a write, counting a refused fenced write as the Redis layer does. */
  private boolean fenced(java.util.function.BooleanSupplier write) {
    try {
      return write.getAsBoolean();
    } catch (FencedWriteException e) {
      counter("fenced-writes");
      throw e;
    }
  }

  private void count(RemoteOperation operation) {
    calls.get(operation).increment();
  }

  private void counter(String name) {
    counters.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  /** The leases of {@link RemoteStore}, counted per call. */
  private final class Leases implements LoadLeases<K> {

    @Override
    public Lease tryAcquire(K key, Duration leaseTime) {
      count(RemoteOperation.LEASE_ACQUIRE);
      String token = RemoteStore.newToken();
      long fence = store.acquire(key, token);
      return fence == 0 ? null : new HeldLease(key, token, fence);
    }

    @Override
    public State state(K key) {
      count(RemoteOperation.LEASE_STATE);
      return store.leaseState(key);
    }
  }

  private final class HeldLease implements LoadLeases.Lease {
    private final K key;
    private final String token;
    private final long fence;
    private volatile boolean closed;

    HeldLease(K key, String token, long fence) {
      this.key = key;
      this.token = token;
      this.fence = fence;
    }

    @Override
    public long fence() {
      return fence;
    }

    @Override
    public boolean isValid() {
      return closed || store.holds(key, token);
    }

    @Override
    public void releaseFoundNothing() {
      release(true);
    }

    @Override
    public void close() {
      release(false);
    }

    private void release(boolean foundNothing) {
      if (closed) {
        return;
      }
      closed = true;
      count(RemoteOperation.LEASE_RELEASE);
      store.release(key, token, foundNothing ? foundNothingMarkMillis : 0);
    }
  }
}
