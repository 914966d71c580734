package io.layercache.coordinator;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Local single-flight: concurrent loads of the same key share one call and its outcome.
 *
 * <ul>
 *   <li>The first caller runs the load on its own thread; later callers wait for its future
 *       (no lock queue, no extra thread).
 *   <li>The outcome (value or exception) reaches every caller that joined; nothing is retained
 *       after the load completes, so a failed load is retried by the next caller.
 *   <li>A load that re-enters the cache for the same key on the loading thread fails at once
 *       with {@link ReentrantLoadException} instead of waiting for itself forever.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class InFlightLoads<K, V> {

  private record Flight<V>(Thread owner, CompletableFuture<V> future) {}

  private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();

  /**
   * Runs {@code load} unless a load of {@code key} is already in flight, in which case it waits
   * for that one.
   *
   * @param onJoin       called when this caller joins a load in flight
   * @param wrapFailure  turns a load's exception into the exception every caller receives
   * @return the loaded value (may be null)
   */
  public V load(K key, Callable<V> load, Runnable onJoin, Function<Throwable, RuntimeException> wrapFailure) {
    Flight<V> mine = new Flight<>(Thread.currentThread(), new CompletableFuture<>());
    Flight<V> existing = flights.putIfAbsent(key, mine);
    if (existing != null) {
      if (existing.owner() == Thread.currentThread()) {
        throw new ReentrantLoadException(key);
      }
      onJoin.run();
      return await(existing.future());
    }
    try {
      V value = load.call();
      mine.future().complete(value);
      return value;
    } catch (Throwable t) {
      RuntimeException failure = wrapFailure.apply(t);
      mine.future().completeExceptionally(failure);
      throw failure;
    } finally {
      flights.remove(key, mine);
    }
  }

  /** The number of loads in flight now. */
  public int size() {
    return flights.size();
  }

  private static <V> V await(CompletableFuture<V> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
