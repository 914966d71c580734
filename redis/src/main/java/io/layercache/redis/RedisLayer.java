package io.layercache.redis;

import io.layercache.TimeSource;
import io.layercache.layer.LayerTraits;
import io.layercache.layer.Layer;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.TagTimestamps;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import javax.cache.CacheException;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared L2 layer: one Redis key per entry holding a codec envelope.
 *
 * <ul>
 *   <li>Atomic per key across every instance: {@link #compute} reads the entry, applies the
 *       function, and writes with a compare-and-set script keyed on the SHA-1 of the bytes it read
 *       ({@link CompareAndSetWrites});
 *       on a lost race it reads again and retries (the function may run more than once).
 *   <li>Redis keeps an entry {@code expiredEntryGrace} past its logical expiry so every instance
 *       observes the expiry itself; the coordinator decides freshness.
 *   <li>Bytes that are not a valid envelope for their key (foreign, corrupt, truncated, from
 *       another key or cache, unallowed classes) read as a miss, are counted by reason, and are
 *       deleted if still unchanged. Nothing is ever deserialized outside the codec's allow-list.
 *   <li>Tag invalidations are stamps under their own keys ({@link RedisTagTimestamps}).
 *   <li>Values above the codec's size cap are kept out of Redis (and any older copy deleted) or
 *       refused, as configured, and counted.
 *   <li>Every call waits at most the configured command timeout (times the attempts), never
 *       Redisson's own retry chain. Walks over the cache's keys ({@link #clear}, {@link #keys},
 *       {@link #estimatedSize}) wait that long for each SCAN page, and at most
 *       {@link RedisLayerSpec#scanTimeout()} for Redis in total.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class RedisLayer<K, V> implements Layer<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLayer.class);
  private static final int MAX_CAS_ATTEMPTS = 32;
  /**
   * Rejections that a newer instance's valid data also produces (a newer envelope version, a class
   * only the newer allow-list admits): read as a miss but left in place during rolling upgrades.
   */
  private static final java.util.Set<String> MAY_BE_NEWER = java.util.Set.of("UNSUPPORTED_VERSION", "CLASS_NOT_ALLOWED");
  /** Keys asked for per SCAN page (its COUNT), and keys per UNLINK. */
  private static final int SCAN_PAGE = RedisScan.PAGE;

  private final String cacheName;
  private final RedissonClient client;
  private final RedisKeys keys;
  private final EnvelopeCodec<V> codec;
  private final RedisLayerSpec spec;
  private final TimeSource time;
  private final long waitMillis;
  private final long graceMillis;
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final RedisLoadLeases<K> leases;
  private final RedisTagTimestamps tagTimestamps;
  private final CompareAndSetWrites casWrites;

  /** {@code tagRetentionMillis}: how long a tag stamp outlives its last raise besides the grace, 0 for ever. */
  RedisLayer(String cacheName, RedissonClient client, RedisKeys keys, EnvelopeCodec<V> codec, RedisLayerSpec spec,
      TimeSource time, long waitMillis, long retainExpiredMillis, long tagRetentionMillis, RedisLoadLeases.Shared leaseShared) {
    this.cacheName = cacheName;
    this.client = client;
    this.keys = keys;
    this.codec = codec;
    this.spec = spec;
    this.time = time;
    this.waitMillis = waitMillis;
    this.graceMillis = spec.expiredEntryGrace().toMillis() + retainExpiredMillis;
    this.leases = new RedisLoadLeases<>(cacheName, client, keys, leaseShared, this::await, this::count,
        this::decodeQuietly);
    this.casWrites = new CompareAndSetWrites(cacheName, client, keys, this::await, this::count,
        leaseShared.releases(), leases);
    this.tagTimestamps = new RedisTagTimestamps(client, keys,
        tagRetentionMillis == 0 ? 0 : tagRetentionMillis + spec.expiredEntryGrace().toMillis(), this::await);
  }

  @Override
  public String name() {
    return RedisLayerSpec.TYPE;
  }

  @Override
  public LayerTraits traits() {
    return LayerTraits.REMOTE;
  }

  @Override
  public StoredEntry<V> get(K key) {
    String redisKey = keys.entryKey(key);
    byte[] bytes = await(client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE).getAsync(), "GET");
    return bytes == null ? null : decodeOrDiscard(redisKey, bytes);
  }

  /** The entry, or the key's load lease when none is stored: one script, one round trip. */
  @Override
  public LoadLeases.Read<V> readOrLease(K key, java.time.Duration leaseTime) {
    String redisKey = keys.entryKey(key);
    return leases.readOrLease(redisKey, leaseTime, bytes -> decodeOrDiscard(redisKey, bytes));
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    RedisKeys.Location location = keys.locate(key);
    String redisKey = location.entryKey();
    byte[] bytes = encode(redisKey, entry);
    if (bytes == null) {
      casWrites.write(location, CompareAndSetWrites.ANY, null, 0);
      return;
    }
    long ttl = physicalTtlMillis(entry);
    if (location.nameKey() != null || entry.fence() != 0) {
      casWrites.write(location, CompareAndSetWrites.ANY, bytes, ttl, entry.fence());
      return;
    }
    var bucket = client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE);
    await(ttl == 0 ? bucket.setAsync(bytes) : bucket.setAsync(bytes, ttl, TimeUnit.MILLISECONDS), "SET");
  }

  @Override
  public StoredEntry<V> remove(K key) {
    RedisKeys.Location location = keys.locate(key);
    String redisKey = location.entryKey();
    byte[] bytes = await(client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE).getAndDeleteAsync(), "GETDEL");
    if (location.nameKey() != null) {
      await(client.getBucket(location.nameKey(), ByteArrayCodec.INSTANCE).deleteAsync(), "DEL");
    }
    return bytes == null ? null : decodeQuietly(redisKey, bytes);
  }

  @Override
  public StoredEntry<V> compute(K key,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    RedisKeys.Location location = keys.locate(key);
    String redisKey = location.entryKey();
    for (int attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      byte[] bytes = await(client.<byte[]>getBucket(redisKey, ByteArrayCodec.INSTANCE).getAsync(), "GET");
      StoredEntry<V> current = bytes == null ? null : decodeQuietly(redisKey, bytes);
      StoredEntry<V> next = remapping.apply(key, current);
      if (next == current && bytes != null && current != null) {
        return current;
      }
      if (next == null && bytes == null) {
        return null;
      }
      byte[] expected = bytes == null ? CompareAndSetWrites.ABSENT : CompareAndSetWrites.sha1Hex(bytes);
      byte[] encoded = next == null ? null : encode(redisKey, next);
      long fence = next == null ? 0L : next.fence();
      if (casWrites.write(location, expected, encoded, encoded == null ? 0 : physicalTtlMillis(next), fence)) {
        return next;
      }
      count("cas-retries");
    }
    throw new CacheException("cache '" + cacheName + "': key " + redisKey + " changed concurrently "
        + MAX_CAS_ATTEMPTS + " times in a row; giving up");
  }

  /**
   * One round trip instead of two for a key believed absent (a value loaded under a lease that
   * found no entry): the function runs on "absent" and its result is written only if the key is
   * still absent (the compare-and-set script, fence included); when something was stored
   * meanwhile, the ordinary {@link #compute} reads it and runs the function again.
   */
  @Override
  public StoredEntry<V> computeIfLikelyAbsent(K key,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    RedisKeys.Location location = keys.locate(key);
    StoredEntry<V> next = remapping.apply(key, null);
    byte[] encoded = next == null ? null : encode(location.entryKey(), next);
    if (encoded != null
        && casWrites.write(location, CompareAndSetWrites.ABSENT, encoded, physicalTtlMillis(next), next.fence())) {
      count("writes-without-read");
      return next;
    }
    return compute(key, remapping);
  }

  /**
   * Entries and their name keys; load leases and fences are left to expire (see {@link RedisLoadLeases}).
   * One scan budget covers both patterns and the UNLINKs.
   */
  @Override
  public void clear() {
    RedisScan budget = scan("clear");
    deleteMatching(budget);
    deleteMatching(budget.next(keys.namePattern()));
  }

  @Override
  public LoadLeases<K> loadLeases() {
    return leases;
  }

  @Override
  public TagTimestamps tagTimestamps() {
    return tagTimestamps;
  }

  /**
   * The keys, read lazily page by page. The first page is read here, so an unreachable Redis
   * fails this call (inside the caller's circuit breaker) rather than the first {@code hasNext}.
   */
  @Override
  public Iterator<K> keys() {
    RedisScan scan = scan("iteration");
    scan.hasNext();
    return new Iterator<>() {
      private K next;

      @Override
      public boolean hasNext() {
        while (next == null && scan.hasNext()) {
          @SuppressWarnings("unchecked")
          K key = (K) javaKeyOf(scan.next(), scan);
          next = key;
        }
        return next != null;
      }

      @Override
      public K next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        K key = next;
        next = null;
        return key;
      }
    };
  }

  /** The Java key of an entry key, reading its name key when it is stored under a digest. */
  private Object javaKeyOf(String redisKey, RedisScan scan) {
    String nameKey = keys.nameKeyOf(redisKey);
    if (nameKey == null) {
      return keys.decodeEntryKey(redisKey);
    }
    byte[] name = scan.await(client.<byte[]>getBucket(nameKey, ByteArrayCodec.INSTANCE).getAsync(), "GET");
    return name == null ? null : keys.decodeName(new String(name, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The number of entry keys, counted with SCAN (O(keys in the database)). */
  @Override
  public long estimatedSize() {
    RedisScan scan = scan("size");
    long count = 0;
    while (scan.hasNext()) {
      scan.next();
      count++;
    }
    return count;
  }

  /** Counters of this layer's unusual events: decode errors by reason, oversized values, CAS retries. */
  @Override
  public Map<String, Long> diagnostics() {
    Map<String, Long> result = new java.util.TreeMap<>();
    counters.forEach((name, adder) -> result.put(name, adder.sum()));
    return result;
  }

  @Override
  public void resetDiagnostics() {
    counters.clear();
  }

  @Override
  public void close() {
    // the client is shared by the cache manager's layers and closed with it
  }

  /** UNLINKs every key the scan finds, {@value #SCAN_PAGE} at a time, within the scan's budget. */
  private void deleteMatching(RedisScan scan) {
    List<String> batch = new java.util.ArrayList<>(SCAN_PAGE);
    while (scan.hasNext()) {
      batch.add(scan.next());
      if (batch.size() == SCAN_PAGE) {
        scan.await(client.getKeys().unlinkAsync(batch.toArray(String[]::new)), "UNLINK");
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      scan.await(client.getKeys().unlinkAsync(batch.toArray(String[]::new)), "UNLINK");
    }
  }

  private byte[] encode(String redisKey, StoredEntry<V> entry) {
    byte[] bytes = codec.encode(entry, keys.digestSource(redisKey));
    if (bytes != null) {
      return bytes;
    }
    count("oversized");
    if (spec.oversized() == OversizePolicy.REFUSE) {
      throw new IllegalArgumentException("cache '" + cacheName + "': the value is larger than redis.codec.max-value-bytes ("
          + spec.codec().maxValueBytes() + " bytes) and redis.oversized = refuse");
    }
    return null;
  }

  private StoredEntry<V> decodeOrDiscard(String redisKey, byte[] bytes) {
    StoredEntry<V>[] holder = new StoredEntry[1];
    holder[0] = codec.decode(bytes, keys.digestSource(redisKey), reason -> {
      count("decode-errors");
      count("decode-error." + reason);
      LOG.debug("cache={} layer=redis key={} rejected: {}", cacheName, redisKey, reason);
      if (!MAY_BE_NEWER.contains(reason)) {
        discard(redisKey, bytes);
      }
    });
    return holder[0];
  }

  private StoredEntry<V> decodeQuietly(String redisKey, byte[] bytes) {
    return codec.decode(bytes, keys.digestSource(redisKey), reason -> {
      count("decode-errors");
      count("decode-error." + reason);
    });
  }

  /** Best-effort delete of bytes that are not a valid envelope, only if nobody replaced them meanwhile. */
  private void discard(String redisKey, byte[] bytes) {
    try {
      String nameKey = keys.nameKeyOf(redisKey);
      casWrites.write(new RedisKeys.Location(redisKey, nameKey, null), CompareAndSetWrites.sha1Hex(bytes), null, 0);
    } catch (RuntimeException e) {
      LOG.debug("cache={} layer=redis could not delete rejected bytes at {}: {}", cacheName, redisKey, e.toString());
    }
  }

  private long physicalTtlMillis(StoredEntry<V> entry) {
    if (entry.expireAt() == StoredEntry.ETERNAL) {
      return 0;
    }
    // A remembered "not found" is never served stale: only the grace, not the fail-safe retention.
    long grace = entry.isNotFound() ? spec.expiredEntryGrace().toMillis() : graceMillis;
    return Math.max(1, entry.expireAt() - time.currentTimeMillis()) + grace;
  }

  <T> T await(RFuture<T> future, String operation) {
    try {
      return future.toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new LayerFailureException("cache '" + cacheName + "': Redis did not answer " + operation + " within "
          + waitMillis + " ms", e);
    } catch (ExecutionException e) {
      throw failure(operation, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("cache '" + cacheName + "': interrupted while waiting for Redis " + operation, e);
    }
  }

  /** A walk over this cache's entry keys for {@code operation}, bounded per page and in total. */
  private RedisScan scan(String operation) {
    return new RedisScan(client, cacheName, keys.entryPattern(), operation, waitMillis, spec.scanTimeout(),
        this::failure);
  }

  private CacheException failure(String operation, Throwable cause) {
    if (cause instanceof CacheException cacheException) {
      return cacheException;
    }
    return new LayerFailureException("cache '" + cacheName + "': Redis " + operation + " failed: " + cause, cause);
  }

  private void count(String counter) {
    counters.computeIfAbsent(counter, c -> new LongAdder()).increment();
  }
}
