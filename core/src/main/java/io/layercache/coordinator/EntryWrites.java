package io.layercache.coordinator;

import io.layercache.EntryOptions;
import io.layercache.TimeSource;
import io.layercache.codec.Copier;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.layer.StoredEntry;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Every write of one cache: the entry semantics all writers share, each run inside the stack's
 * atomic per-key compute and followed by the change records it produced, published once the key
 * is released.
 *
 * <ul>
 *   <li>An expired entry found by a write is absent to it, and recorded as expired (a plain put
 *       that does not read the entry it replaces records only its write).
 *   <li>A remembered "not found" is absent to every write, silently.
 *   <li>Expiry comes from the entry options' ttl, else from the expiry policy (creation, update,
 *       access); a value that would expire at once is never stored.
 *   <li>A load or refresh never overwrites a newer write: it replaces only nothing, the stale
 *       entry it refreshes, or (a batch load asked to) the live entry.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EntryWrites<K, V> {

  private final LayerStack<K, V> stack;
  private final ExpiryRules expiry;
  private final WriteClock writeClock;
  private final TimeSource time;
  private final Copier copier;
  private final ChangeFeed<K, V> feed;
  private final OutageWrites<K, V> outage;
  /** Set when the cache closes: loads and refreshes finishing later store nothing. */
  private volatile boolean closed;

  EntryWrites(LayerStack<K, V> stack, ExpiryRules expiry, WriteClock writeClock, TimeSource time, Copier copier,
      ChangeFeed<K, V> feed, OutageWrites<K, V> outage) {
    this.stack = stack;
    this.expiry = expiry;
    this.writeClock = writeClock;
    this.time = time;
    this.copier = copier;
    this.feed = feed;
    this.outage = outage;
  }

  /** Stops stores of loads and refreshes that finish after the cache closed. */
  void close() {
    closed = true;
    outage.close();
  }

  /** An application's write that skipped the shared layer (graceful mode) is repaired when it is back. */
  private void noteOutage(K key, Change.Origin origin, OperationContext operation) {
    if (operation.remoteFailed() && (origin == Change.Origin.WRITE || origin == Change.Origin.INVALIDATE)) {
      outage.record(key);
    }
  }

  /**
   * A change the shared layer failed (strict mode) may still be applied there: a slow Redis runs
   * the command after the client gave up. No change is published for a failed operation, so
   * every instance's memory copy of the key, this one's too, would keep the old value for as long
   * as it lives. The key's in-process copies are dropped here, and a
   * {@link Change.Type#SHARED_COPY_DROPPED} change has the bus drop the other instances' copies:
   * the next reads go to the shared layer, whichever way the change went. The message leaves
   * after every attempt of the failed command was sent, so Redis has applied it (or not) before
   * another instance can read the key again. A call the open circuit breaker refused never left:
   * nothing to do.
   */
  private void outcomeUnknown(K key, LayerUnavailableException failure) {
    if (failure.getCause() instanceof io.github.resilience4j.circuitbreaker.CallNotPermittedException) {
      return;
    }
    stack.inProcessCopies().drop(key);
    feed.publish(Change.sharedCopyDropped(key));
  }

  /** Applies {@code mutation} to {@code key} and publishes what it changed. */
  Mutation.Outcome<V> mutate(K key, Mutation<V> mutation, EntryOptions options, Change.Origin origin,
      OperationContext operation) {
    ChangeBatch<K, V> batch = new ChangeBatch<>();
    Mutation.Outcome<V> outcome = mutate(key, mutation, options, origin, operation, batch);
    feed.publish(batch.changes());
    return outcome;
  }

  /**
   * A put that replaces whatever is there. When no observer needs the previous value and the
   * expiry of an update equals that of a creation, it does not read the previous entry: one
   * write per layer (for Redis one round trip instead of a read and a compare-and-set), recorded
   * as {@link Change.Type#WRITTEN}. Otherwise (and always when {@code sideEffects}: a cache writer)
   * it is a {@link #mutate}. {@code beforeCommit} runs once, before the value is stored.
   */
  Mutation.Outcome<V> put(K key, V value, EntryOptions options, Runnable beforeCommit, boolean sideEffects,
      OperationContext operation) {
    long now = now();
    long expireAt = options.ttl() != null || expiry.updateIsCreation() ? expireAt(options, null, now, false) : 0L;
    // A side effect (the cache writer) must run in the key's atomic section, or two writers could
    // leave the writer's store and the cache holding different values.
    if (sideEffects || expireAt == 0L || expireAt != StoredEntry.ETERNAL && expireAt <= now
        || feed.needsPreviousValues()) {
      WriteThroughOnce once = new WriteThroughOnce();
      return mutate(key, live -> {
        once.run(Mutation.Action.PUT, value, beforeCommit);
        return Mutation.Decision.put(value);
      }, options, Change.Origin.WRITE, operation);
    }
    beforeCommit.run();
    try {
      stack.put(key, StoredEntry.of(value, expireAt, writeClock.next(), options.tags()), now, operation);
    } catch (LayerUnavailableException e) {
      outcomeUnknown(key, e);
      throw e;
    }
    noteOutage(key, Change.Origin.WRITE, operation);
    feed.publish(Change.written(key, value, options.tags()));
    return new Mutation.Outcome<>(null, Mutation.Action.PUT, true);
  }

  /** {@link #mutate}, recording into {@code batch} (for operations over many keys). */
  Mutation.Outcome<V> mutate(K key, Mutation<V> mutation, EntryOptions options, Change.Origin origin,
      OperationContext operation, ChangeBatch<K, V> batch) {
    Object[] outcome = new Object[1];
    try {
      stack.compute(key, now(), (k, current) -> {
      batch.reset();
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, batch);
      Mutation.Decision<V> decision = mutation.decide(live == null ? null : live.value());
      StoredEntry<V> result = apply(k, live, decision, options, origin, now, batch);
      boolean stored = decision.action() == Mutation.Action.PUT ? result != null || live != null
          : decision.action() == Mutation.Action.REMOVE && live != null;
      outcome[0] = new Mutation.Outcome<>(live == null ? null : live.value(), decision.action(), stored);
      return result;
      }, operation);
    } catch (RuntimeException | Error e) {
      batch.reset(); // the attempt did not commit: it leaves no record
      if (e instanceof LayerUnavailableException unavailable) {
        outcomeUnknown(key, unavailable);
      }
      throw e;
    }
    noteOutage(key, origin, operation);
    batch.commit();
    @SuppressWarnings("unchecked")
    Mutation.Outcome<V> result = (Mutation.Outcome<V>) outcome[0];
    return result;
  }

  private StoredEntry<V> apply(K key, StoredEntry<V> live, Mutation.Decision<V> decision, EntryOptions options,
      Change.Origin origin, long now, ChangeBatch<K, V> batch) {
    switch (decision.action()) {
      case KEEP:
        return live;
      case ACCESS:
        return live == null ? null : accessed(live, now);
      case PUT:
        return putEntry(key, decision.value(), live, options, now, batch, origin, false);
      case REMOVE:
        if (live != null) {
          batch.add(Change.removed(key, live.value(), origin));
        }
        return null;
      default:
        throw new IllegalStateException("Unknown action " + decision.action());
    }
  }

  /**
   * Stores a loaded value over nothing, or over the stale entry it refreshes (also when that entry
   * was cached again by fail-safe), never over a newer write; fenced with the lease token it was
   * loaded under (0 for none). {@code likelyAbsent}: the shared layer held no entry when the lease
   * was taken, so it may try the write on "absent" before reading.
   */
  void storeLoaded(K key, V value, EntryOptions options, StoredEntry<V> stale, long fence, boolean likelyAbsent,
      OperationContext operation) {
    if (closed) {
      return;
    }
    ChangeBatch<K, V> batch = new ChangeBatch<>();
    V stored = copier.copy(value);
    BiFunction<K, StoredEntry<V>, StoredEntry<V>> store = (k, current) -> {
      batch.reset();
      long now = now();
      boolean refreshes = current != null && stale != null && stale.isSameWriteAs(current);
      StoredEntry<V> live = refreshes ? null : expireIfDue(k, current, now, batch);
      if (live != null) {
        return live;
      }
      // A refreshed stale entry was logically absent: the new value is a creation.
      StoredEntry<V> created = putEntry(k, stored, null, options, now, batch, Change.Origin.LOAD, false);
      return created == null || fence == 0 ? created : created.withFence(fence);
    };
    K storedKey = copier.copy(key);
    stack.compute(storedKey, now(), store, operation, likelyAbsent);
    feed.publish(batch.changes());
  }

  /**
   * Stores a value of a batch load: kept only where no live entry appeared meanwhile, unless
   * {@code replaceExisting} (JCache {@code loadAll} asked to replace).
   */
  void storeLoaded(K key, V value, EntryOptions options, boolean replaceExisting, ChangeBatch<K, V> batch) {
    if (closed) {
      return;
    }
    V stored = copier.copy(value);
    try {
      stack.compute(copier.copy(key), now(), (k, current) -> {
      batch.reset();
      long now = now();
      StoredEntry<V> live = expireIfDue(k, current, now, batch);
      if (live != null && !replaceExisting) {
        return live;
      }
      return putEntry(k, stored, live, options, now, batch, Change.Origin.LOAD, false);
      }, stack.newOperation());
    } catch (RuntimeException | Error e) {
      batch.reset();
      throw e;
    }
    batch.commit();
  }

  /**
   * Stores a background refresh's value over the entry it refreshes, if that is still the same
   * write: refresh-ahead replaces a live entry (an update), stale-while-revalidate an expired one
   * (a creation); either way the value gets a new lifetime.
   */
  void storeRefreshed(K key, V fresh, EntryOptions options, StoredEntry<V> stale, long fence) {
    if (closed) {
      return;
    }
    V stored = copier.copy(fresh);
    ChangeBatch<K, V> batch = new ChangeBatch<>();
    stack.compute(key, now(), (k, current) -> {
      batch.reset();
      if (!stale.isSameWriteAs(current)) {
        return current;
      }
      StoredEntry<V> live = current.isLive(time) ? current : null;
      StoredEntry<V> refreshed = putEntry(k, stored, live, options, now(), batch, Change.Origin.REFRESH, true);
      return refreshed == null || fence == 0 ? refreshed : refreshed.withFence(fence);
    }, stack.newOperation());
    feed.publish(batch.changes());
  }

  /**
   * Negative caching: remembers the loader's "not found" for {@code ttlMillis} over nothing or the
   * stale entry, never over a newer write.
   *
   * @return true when it was stored
   */
  boolean storeNotFound(K key, StoredEntry<V> stale, long fence, long ttlMillis, OperationContext operation) {
    if (closed) {
      return false;
    }
    ChangeBatch<K, V> batch = new ChangeBatch<>();
    StoredEntry<V> stored = stack.compute(copier.copy(key), now(), (k, current) -> {
      batch.reset();
      boolean replaceable = current == null || current.isNotFound() || stale != null && stale.isSameWriteAs(current);
      if (!replaceable) {
        return current;
      }
      batch.add(Change.notFoundStored(k));
      return StoredEntry.<V>notFound(now() + ttlMillis, writeClock.next()).withFence(fence);
    }, operation);
    feed.publish(batch.changes());
    return stored != null && stored.isNotFound();
  }

  /**
   * Fail-safe: caches the last-known-good {@code stale} entry again until {@code untilMillis},
   * marked as such, unless the entry changed or went meanwhile.
   */
  void reCacheStale(K key, StoredEntry<V> stale, long untilMillis, OperationContext operation) {
    if (closed) {
      return;
    }
    // Only over the same write: a remove or clear meanwhile wins (it published its change; this
    // would resurrect the value unannounced).
    stack.compute(key, now(), (k, current) -> stale.isSameWriteAs(current)
        ? stale.withExpireAt(untilMillis).withKind(StoredEntry.Kind.FAIL_SAFE) : current, operation);
  }

  /** Inside a compute: an expired entry is absent to a write, and recorded as expired. */
  StoredEntry<V> expireIfDue(K key, StoredEntry<V> current, long now, ChangeBatch<K, V> batch) {
    if (current != null && current.isNotFound()) {
      return null;
    }
    if (current == null || !current.isExpiredAt(now)) {
      return current;
    }
    batch.add(Change.expired(key, current.value()));
    return null;
  }

  /** Access expiry applied inside a compute. */
  StoredEntry<V> accessed(StoredEntry<V> live, long now) {
    long expireAt = expiry.onAccess(live.expireAt(), now);
    return expireAt == live.expireAt() ? live : live.withExpireAt(expireAt);
  }

  /**
   * Inside a compute: the entry that stores {@code value} over {@code live} (null when absent),
   * with the change it makes. Null when the entry would be expired at once, which removes it. A
   * {@code reloaded} value (a refresh) gets a creation lifetime, as a new load would.
   */
  private StoredEntry<V> putEntry(K key, V value, StoredEntry<V> live, EntryOptions options, long now,
      ChangeBatch<K, V> batch, Change.Origin origin, boolean reloaded) {
    long expireAt = expireAt(options, live, now, reloaded);
    if (expireAt != StoredEntry.ETERNAL && expireAt <= now) {
      if (live != null) {
        batch.add(Change.updatedAndExpired(key, live.value(), value, origin));
      }
      return null;
    }
    StoredEntry<V> stored = StoredEntry.of(value, expireAt, writeClock.next(), options.tags());
    batch.add(live == null ? Change.created(key, stored, origin) : Change.updated(key, live.value(), stored, origin));
    return stored;
  }

  /** The expiry of a value stored over {@code live} (null when absent): the options' ttl, else the policy's. */
  private long expireAt(EntryOptions options, StoredEntry<V> live, long now, boolean reloaded) {
    if (options.ttl() != null) {
      return ExpiryRules.expireAt(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, options.ttl().toMillis()), now);
    }
    return live == null || reloaded ? expiry.onCreation(now) : expiry.onUpdate(live.expireAt(), now);
  }

  private long now() {
    return time.currentTimeMillis();
  }
}
