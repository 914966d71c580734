package io.layercache.coordinator;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.layercache.ResilienceSettings;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.layer.StoredEntry;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote layer behind its own circuit breaker (Resilience4j): the one place that decides
 * whether the layer is usable.
 *
 * <ul>
 *   <li>While the breaker is open every call fails at once with {@link LayerUnavailableException},
 *       without touching the network.
 *   <li>Only {@link LayerFailureException}s (unreachable, timed out) count as failures; refused
 *       operations (oversized values, unallowed classes) pass through and count as successes.
 *   <li>Transitions are logged once each (WARN on open, INFO otherwise) and reported to the
 *       transition listener.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class GuardedLayer<K, V> implements Layer<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedLayer.class);

  /** Receives breaker transitions. */
  @FunctionalInterface
  public interface TransitionListener {
    /** Called once per transition, with the states' names (CLOSED, OPEN, HALF_OPEN). */
    void onTransition(String layer, String from, String to);
  }

  private final Layer<K, V> delegate;
  private final CircuitBreaker breaker;
  /** Calls refused while open; kept here because the breaker's own metrics restart at each transition. */
  private final java.util.concurrent.atomic.LongAdder notPermitted = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();
  private final String cacheName;

  /** Guards {@code delegate} with a breaker configured by {@code settings}. */
  public GuardedLayer(String cacheName, Layer<K, V> delegate, ResilienceSettings settings, TransitionListener listener) {
    this.cacheName = cacheName;
    this.delegate = delegate;
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.failureThreshold())
        .minimumNumberOfCalls(settings.failureThreshold())
        .failureRateThreshold(100f)
        .waitDurationInOpenState(settings.breakDuration())
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .recordExceptions(LayerFailureException.class)
        .build();
    this.breaker = CircuitBreaker.of(cacheName + "/" + delegate.name(), config);
    breaker.getEventPublisher().onStateTransition(event -> {
      String from = event.getStateTransition().getFromState().name();
      String to = event.getStateTransition().getToState().name();
      if ("OPEN".equals(to)) {
        LOG.warn("cache={} layer={} circuit breaker {} -> {}: the layer is skipped or fails fast for {}",
            cacheName, delegate.name(), from, to, settings.breakDuration());
      } else {
        LOG.info("cache={} layer={} circuit breaker {} -> {}", cacheName, delegate.name(), from, to);
      }
      listener.onTransition(delegate.name(), from, to);
    });
  }

  /** The breaker's state name: CLOSED, OPEN or HALF_OPEN. */
  String state() {
    return breaker.getState().name();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean isLocal() {
    return delegate.isLocal();
  }

  @Override
  public StoredEntry<V> get(K key) {
    return call(() -> delegate.get(key));
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    call(() -> {
      delegate.put(key, entry);
      return null;
    });
  }

  @Override
  public StoredEntry<V> remove(K key) {
    return call(() -> delegate.remove(key));
  }

  @Override
  public boolean remove(K key, StoredEntry<V> expected) {
    return call(() -> delegate.remove(key, expected));
  }

  @Override
  public StoredEntry<V> compute(K key, BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    return call(() -> delegate.compute(key, remapping));
  }

  @Override
  public void clear() {
    call(() -> {
      delegate.clear();
      return null;
    });
  }

  @Override
  public Iterator<K> keys() {
    return call(delegate::keys);
  }

  @Override
  public long estimatedSize() {
    return call(delegate::estimatedSize);
  }

  @Override
  public Map<String, Long> diagnostics() {
    Map<String, Long> result = new java.util.TreeMap<>(delegate.diagnostics());
    result.put("breaker-not-permitted", notPermitted.sum());
    result.put("failures", failures.sum());
    result.put("breaker-open", breaker.getState() == CircuitBreaker.State.OPEN ? 1L : 0L);
    return result;
  }

  @Override
  public void resetDiagnostics() {
    delegate.resetDiagnostics();
    notPermitted.reset();
    failures.reset();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The delegate's leases, behind the same breaker: lease calls fail fast while it is open. */
  @Override
  public io.layercache.layer.LoadLeases<K> loadLeases() {
    io.layercache.layer.LoadLeases<K> leases = delegate.loadLeases();
    if (leases == null) {
      return null;
    }
    return new io.layercache.layer.LoadLeases<>() {
      @Override
      public Lease tryAcquire(K key, java.time.Duration leaseTime) {
        return call(() -> leases.tryAcquire(key, leaseTime));
      }

      @Override
      public State state(K key) {
        return call(() -> leases.state(key));
      }
    };
  }

  private <T> T call(Supplier<T> operation) {
    if (!breaker.tryAcquirePermission()) {
      notPermitted.increment();
      throw new LayerUnavailableException("cache '" + cacheName + "': layer " + delegate.name()
          + " is unavailable (circuit breaker open)", CallNotPermittedException.createCallNotPermittedException(breaker));
    }
    long start = System.nanoTime();
    try {
      T result = operation.get();
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return result;
    } catch (LayerFailureException e) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      failures.increment();
      // the layer's message already names the cache and the operation
      throw e instanceof LayerUnavailableException ? e : new LayerUnavailableException(e.getMessage(), e);
    } catch (RuntimeException e) {
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      throw e;
    }
  }
}
