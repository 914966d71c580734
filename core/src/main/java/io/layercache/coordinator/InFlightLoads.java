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
 *   <li>{@link #load}: the first caller runs the load on its own thread; later callers wait for
 *       its future (no lock queue, no extra thread).
 *   <li>{@link #startOrJoin}: the first caller starts the load elsewhere (a pool) and every caller,
 *       the first included, waits for it as long as it likes; the load stays <em>the</em> load of
 *       its key until it really ends, so callers that gave up never cause a second one.
 *   <li>The outcome (value or exception) reaches every caller that joined; nothing is retained
 *       after the load completes, so a failed load is retried by the next caller.
 *   <li>A load that re-enters the cache for the same key on the thread running it fails at once
 *       with {@link ReentrantLoadException} instead of waiting for itself forever.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class InFlightLoads<K, V> {

  /** One load in flight: the thread running it (once it runs) and its outcome. */
  public static final class Flight<V> {
    private volatile Thread runner;
    private final CompletableFuture<V> future = new CompletableFuture<>();

    private Flight(Thread runner) {
      this.runner = runner;
    }

    /** Called by the load once it runs, on its thread. */
    public void runningOn(Thread thread) {
      runner = thread;
    }

    /** The outcome, completed when the load ends. */
    public CompletableFuture<V> future() {
      return future;
    }
  }

  private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();

  /**
   * Runs {@code load} on this thread unless a load of {@code key} is already in flight, in which
   * case it waits for that one.
   *
   * @param onJoin       called when this caller joins a load in flight
   * @param wrapFailure  turns a load's exception into the exception every caller receives
   * @return the loaded value (may be null)
   */
  public V load(K key, Callable<V> load, Runnable onJoin, Function<Throwable, RuntimeException> wrapFailure) {
    Flight<V> mine = new Flight<>(Thread.currentThread());
    Flight<V> existing = flights.putIfAbsent(key, mine);
    if (existing != null) {
      return await(join(existing, key, onJoin).future());
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

  /**
   * The load of {@code key} in flight, joined, or a new one that {@code start} launches (it must
   * complete the flight's future, and may throw when it cannot launch, which fails the flight).
   * The flight is forgotten when its future completes.
   */
  public Flight<V> startOrJoin(K key, java.util.function.Consumer<Flight<V>> start, Runnable onJoin) {
    Flight<V> mine = new Flight<>(null);
    Flight<V> existing = flights.putIfAbsent(key, mine);
    if (existing != null) {
      return join(existing, key, onJoin);
    }
    mine.future().whenComplete((value, error) -> flights.remove(key, mine));
    try {
      start.accept(mine);
    } catch (RuntimeException e) {
      mine.future().completeExceptionally(e);
    }
    return mine;
  }

  /**
   * Claims the load of {@code key} for a batch: a new flight this caller must complete
   * ({@link Claim#owned()}), or the flight already under way, to wait for. An owned flight is
   * forgotten when its future completes.
   */
  public Claim<V> claim(K key, Runnable onJoin) {
    Flight<V> mine = new Flight<>(Thread.currentThread());
    Flight<V> existing = flights.putIfAbsent(key, mine);
    if (existing != null) {
      return new Claim<>(join(existing, key, onJoin), false);
    }
    mine.future().whenComplete((value, error) -> flights.remove(key, mine));
    return new Claim<>(mine, true);
  }

  /** A claimed flight: owned by the claimer (who completes it) or joined. */
  public record Claim<V>(Flight<V> flight, boolean owned) {}

  /** The number of loads in flight now. */
  public int size() {
    return flights.size();
  }

  private Flight<V> join(Flight<V> existing, K key, Runnable onJoin) {
    if (existing.runner == Thread.currentThread()) {
      throw new ReentrantLoadException(key);
    }
    onJoin.run();
    return existing;
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
