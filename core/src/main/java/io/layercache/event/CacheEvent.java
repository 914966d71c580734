package io.layercache.event;

import java.time.Duration;
import java.util.Set;

/**
 * A typed event of one cache. Every event names its cache; key events name their key.
 *
 * <p>The set of event types is closed so listeners can switch over it exhaustively.
 *
 * @param <K> the key type
 */
public sealed interface CacheEvent<K> {

  /** The name of the cache the event belongs to. */
  String cacheName();

  /** A layer answered a read. */
  record Hit<K>(String cacheName, K key, String layer) implements CacheEvent<K> {}

  /** A layer could not answer a read. */
  record Miss<K>(String cacheName, K key, String layer) implements CacheEvent<K> {}

  /** A value found in a lower layer was copied into an upper one. */
  record Backfill<K>(String cacheName, K key, String fromLayer, String toLayer) implements CacheEvent<K> {}

  /** A loader call started for a key that missed everywhere. */
  record LoadStarted<K>(String cacheName, K key) implements CacheEvent<K> {}

  /** A loader call returned (a null value means "not found"). */
  record LoadSucceeded<K>(String cacheName, K key, boolean found, Duration took) implements CacheEvent<K> {}

  /** A loader call threw; the error went to every waiting caller. */
  record LoadFailed<K>(String cacheName, K key, Throwable error, Duration took) implements CacheEvent<K> {}

  /** A caller joined a load already in flight instead of starting another. */
  record InFlightJoined<K>(String cacheName, K key) implements CacheEvent<K> {}

  /** A value was written to every layer. */
  record Written<K>(String cacheName, K key, Set<String> tags) implements CacheEvent<K> {}

  /** An entry was removed by an operation. */
  record Removed<K>(String cacheName, K key) implements CacheEvent<K> {}

  /** An entry was found past its expiry time and dropped. */
  record Expired<K>(String cacheName, K key) implements CacheEvent<K> {}

  /** A layer dropped an entry by itself to stay within its size bound. */
  record Evicted<K>(String cacheName, K key, String layer) implements CacheEvent<K> {}

  /** Every entry carrying the tag and written before now was invalidated. */
  record TagInvalidated<K>(String cacheName, String tag) implements CacheEvent<K> {}

  /** A remote layer's circuit breaker changed state (CLOSED, OPEN, HALF_OPEN). */
  record BreakerTransition<K>(String cacheName, String layer, String from, String to) implements CacheEvent<K> {}

  /** A load failed or timed out and the last-known-good value was served instead. */
  record FailSafeActivated<K>(String cacheName, K key, Throwable error) implements CacheEvent<K> {}

  /** Every entry whose key matched the glob was deleted ({@code LayerCache.deleteByPattern}). */
  record PatternDeleted<K>(String cacheName, String pattern) implements CacheEvent<K> {}

  /** The cache was cleared. */
  record Cleared<K>(String cacheName) implements CacheEvent<K> {}

  /**
   * A caller stopped waiting for a load at its soft timeout (a stale value was at hand) or hard
   * timeout; the load goes on and stores its value when it arrives.
   */
  record LoaderTimedOut<K>(String cacheName, K key, boolean soft, Duration after) implements CacheEvent<K> {}

  /**
   * A read was answered by an expired value on purpose: stale-while-revalidate (a refresh runs)
   * or fail-safe (the load failed or timed out). Always follows that layer's {@link Miss}.
   */
  record StaleHit<K>(String cacheName, K key, Reason reason) implements CacheEvent<K> {
    /** Why the stale value was served. */
    public enum Reason { STALE_WHILE_REVALIDATE, FAIL_SAFE }
  }

  /**
   * A read was answered by a remembered "not found" (negative caching) without calling the
   * loader: a miss to JCache statistics.
   */
  record NegativeHit<K>(String cacheName, K key) implements CacheEvent<K> {}

  /** A loader's "not found" was remembered (negative caching). */
  record NegativeStored<K>(String cacheName, K key) implements CacheEvent<K> {}

  /**
   * A call to a layer that can fail failed (unreachable, timed out). Calls an open circuit
   * breaker refuses publish nothing (they are counted as rejected; the breaker's opening is a
   * {@link BreakerTransition}).
   */
  record LayerError<K>(String cacheName, String layer, Throwable error) implements CacheEvent<K> {}

  /**
   * A layer was skipped for the rest of an operation in graceful mode, because a call to it had
   * just failed.
   */
  record LayerSkipped<K>(String cacheName, K key, String layer) implements CacheEvent<K> {}

  /**
   * Another instance's change of {@code key}, delivered by the invalidation bus, dropped this
   * instance's in-process copy: the next read goes to the shared layer. Published right after the
   * copy is gone, on the bus's delivery thread, so its time is when this instance stopped serving
   * the old value.
   */
  record RemoteInvalidated<K>(String cacheName, K key) implements CacheEvent<K> {}

  /**
   * Another instance's freshly loaded value of {@code key}, delivered by the invalidation bus
   * ({@code bus.broadcast-set}), was put into an in-process layer, sparing this instance a load.
   */
  record RemotePrimed<K>(String cacheName, K key) implements CacheEvent<K> {}

  /**
   * The bus emptied this instance's in-process layers for another instance's change: a clear, or
   * a change of a key this instance could not decode.
   */
  record RemoteCleared<K>(String cacheName) implements CacheEvent<K> {}

  /**
   * This instance's in-process layers were emptied because bus messages may have been lost (a
   * gap in a sender's sequence, a resubscription, a subscription gone silent): the next reads go
   * to the shared layer, which holds every committed change.
   */
  record InProcessRepaired<K>(String cacheName) implements CacheEvent<K> {}

  /**
   * A load ran without cross-instance coordination although distributed single-flight is on:
   * the lease could not be taken (the shared layer failed) or another instance's load outlasted
   * {@code single-flight.wait}.
   */
  record InFlightBypassed<K>(String cacheName, K key) implements CacheEvent<K> {}
}
