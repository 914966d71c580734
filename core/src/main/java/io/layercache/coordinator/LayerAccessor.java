package io.layercache.coordinator;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.layercache.DegradationMode;
import io.layercache.ResilienceSettings;
import io.layercache.event.CacheEvent;
import io.layercache.event.EventHub;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.LayerTraits;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.TagTimestamps;
import io.layercache.metrics.LayerEvent;
import io.layercache.metrics.MetricsRecorder;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything about one layer of one cache, in one place: the only way the stack reaches a layer.
 * It owns the layer's circuit breaker, its degradation rule, its counters and its events, so the
 * stack deals only with ordering, backfill and compute.
 *
 * <ul>
 *   <li>A layer that {@linkplain LayerTraits#canFail() can fail} sits behind a Resilience4j
 *       breaker: while it is open every call fails at once with
 *       {@link LayerUnavailableException}, without touching the layer. Only
 *       {@link LayerFailureException}s (unreachable, timed out) count as failures; refused
 *       operations (oversized values, unallowed classes) count as successes.
 *   <li>A layer that cannot fail (memory) is called directly: no breaker, no extra work.
 *   <li>{@link #degrade}: in strict mode a failure is rethrown; in graceful mode it is recorded in
 *       the operation, which then {@linkplain #skips skips} every layer that can fail.
 *   <li>Breaker transitions are logged once each (WARN on open, INFO otherwise) and published as
 *       typed events, with the cache and layer named.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LayerAccessor<K, V> implements Layer<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(LayerAccessor.class);

  private final String cacheName;
  private final Layer<K, V> delegate;
  private final boolean inProcess;
  private final boolean canFail;
  private final boolean graceful;
  private final CircuitBreaker breaker;
  private final int index;
  private final MetricsRecorder metrics;
  private final EventHub<K> events;
  private final java.util.concurrent.atomic.LongAdder tagRefreshFallbacks = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder localTagInvalidations = new java.util.concurrent.atomic.LongAdder();

  /** {@link #diagnostics()} counter: reads that judged an entry's tags by local stamps because the layer's could not be read. */
  public static final String TAG_REFRESH_FALLBACKS = "tag-refresh-fallbacks";
  /** {@link #diagnostics()} counter: tag invalidations kept by this instance alone because the layer could not store them. */
  public static final String LOCAL_ONLY_TAG_INVALIDATIONS = "tag-invalidations-local-only";

  /** The accessor of {@code delegate}, with a breaker configured by {@code settings} when the layer can fail. */
  public LayerAccessor(String cacheName, Layer<K, V> delegate, int index, ResilienceSettings settings,
      MetricsRecorder metrics, EventHub<K> events) {
    this.cacheName = cacheName;
    this.delegate = delegate;
    this.inProcess = delegate.traits().inProcess();
    this.canFail = delegate.traits().canFail();
    this.graceful = settings.mode() == DegradationMode.GRACEFUL;
    this.index = index;
    this.metrics = metrics;
    this.events = events;
    this.breaker = canFail ? breaker(settings) : null;
  }

  private CircuitBreaker breaker(ResilienceSettings settings) {
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
    CircuitBreaker created = CircuitBreaker.of(cacheName + "/" + delegate.name(), config);
    created.getEventPublisher().onStateTransition(event -> {
      String from = event.getStateTransition().getFromState().name();
      String to = event.getStateTransition().getToState().name();
      if ("OPEN".equals(to)) {
        LOG.warn("cache={} layer={} circuit breaker {} -> {}: the layer is skipped or fails fast for {}",
            cacheName, delegate.name(), from, to, settings.breakDuration());
      } else {
        LOG.info("cache={} layer={} circuit breaker {} -> {}", cacheName, delegate.name(), from, to);
      }
      if (events.isActive()) {
        events.publish(new CacheEvent.BreakerTransition<>(cacheName, delegate.name(), from, to));
      }
    });
    return created;
  }

  /** True when the layer's data lives in this JVM. */
  public boolean inProcess() {
    return inProcess;
  }

  /** True when the layer's calls can fail. */
  public boolean canFail() {
    return canFail;
  }

  /** True while the layer's circuit breaker is open. */
  public boolean breakerOpen() {
    return breaker != null && breaker.getState() == CircuitBreaker.State.OPEN;
  }

  /** True when {@code operation} skips this layer: graceful mode, after a failed call in the operation. */
  boolean skips(OperationContext operation) {
    return canFail && graceful && operation.remoteFailed();
  }

  /** A read skipped this layer (graceful mode): counted, and published. */
  void skipped(K key) {
    metrics.recordLayer(index, LayerEvent.SKIP);
    if (events.isActive()) {
      events.publish(new CacheEvent.LayerSkipped<>(cacheName, key, delegate.name()));
    }
  }

  /**
   * A call failed: strict mode rethrows {@code failure}; graceful mode records it in the
   * operation, which skips layers that can fail from now on.
   */
  void degrade(LayerUnavailableException failure, OperationContext operation) {
    if (!graceful) {
      throw failure;
    }
    operation.markRemoteFailed();
  }

  /**
   * Reads {@code key} for at most {@code timeout} on {@code reads} (the remote soft timeout of a
   * read that holds a stale {@code fallback}). Past it, or with every read thread busy: counts a
   * soft timeout, returns {@code fallback} and has the rest of the operation skip layers that can
   * fail. The late read finishes in the background and is dropped: the load that follows stores a
   * newer value, and a late copy could resurrect an entry removed meanwhile.
   */
  StoredEntry<V> getWithin(K key, java.time.Duration timeout, java.util.concurrent.Executor reads,
      StoredEntry<V> fallback, OperationContext operation) {
    java.util.concurrent.CompletableFuture<StoredEntry<V>> read;
    try {
      read = java.util.concurrent.CompletableFuture.supplyAsync(() -> get(key), reads);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return softTimedOut(operation, fallback); // every remote-read thread is busy waiting: the layer is slow
    }
    try {
      return read.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return softTimedOut(operation, fallback);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new javax.cache.CacheException("cache '" + cacheName + "': read of layer " + delegate.name() + " failed",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new javax.cache.CacheException("cache '" + cacheName + "': interrupted while reading layer "
          + delegate.name(), e);
    }
  }

  private StoredEntry<V> softTimedOut(OperationContext operation, StoredEntry<V> fallback) {
    metrics.recordLayer(index, LayerEvent.SOFT_TIMEOUT);
    operation.markRemoteFailed();
    return fallback;
  }

  /** The breaker's state name: CLOSED, OPEN or HALF_OPEN; CLOSED for a layer without one. */
  String state() {
    return breaker == null ? "CLOSED" : breaker.getState().name();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public LayerTraits traits() {
    return delegate.traits();
  }

  @Override
  public StoredEntry<V> get(K key) {
    return breaker == null ? delegate.get(key) : call(() -> delegate.get(key));
  }

  @Override
  public LoadLeases.Read<V> readOrLease(K key, java.time.Duration leaseTime) {
    return breaker == null ? delegate.readOrLease(key, leaseTime) : call(() -> delegate.readOrLease(key, leaseTime));
  }

  /** The layer behind this accessor. */
  Layer<K, V> layer() {
    return delegate;
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    if (breaker == null) {
      delegate.put(key, entry);
      return;
    }
    call(() -> {
      delegate.put(key, entry);
      return null;
    });
  }

  @Override
  public StoredEntry<V> remove(K key) {
    return breaker == null ? delegate.remove(key) : call(() -> delegate.remove(key));
  }

  @Override
  public boolean remove(K key, StoredEntry<V> expected) {
    return breaker == null ? delegate.remove(key, expected) : call(() -> delegate.remove(key, expected));
  }

  @Override
  public StoredEntry<V> compute(K key, BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    return breaker == null ? delegate.compute(key, remapping) : call(() -> delegate.compute(key, remapping));
  }

  @Override
  public StoredEntry<V> computeIfLikelyAbsent(K key,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    return breaker == null ? delegate.computeIfLikelyAbsent(key, remapping)
        : call(() -> delegate.computeIfLikelyAbsent(key, remapping));
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

  /** The layer's own counters, plus the coordinator's tag fallbacks through this layer when there were any. */
  @Override
  public Map<String, Long> diagnostics() {
    Map<String, Long> own = delegate.diagnostics();
    long fallbacks = tagRefreshFallbacks.sum();
    long localOnly = localTagInvalidations.sum();
    if (fallbacks == 0 && localOnly == 0) {
      return own;
    }
    Map<String, Long> merged = new java.util.TreeMap<>(own);
    merged.put(TAG_REFRESH_FALLBACKS, fallbacks);
    merged.put(LOCAL_ONLY_TAG_INVALIDATIONS, localOnly);
    return merged;
  }

  @Override
  public void resetDiagnostics() {
    delegate.resetDiagnostics();
    tagRefreshFallbacks.reset();
    localTagInvalidations.reset();
  }

  /** Graceful mode read an entry's tags by the local stamps, the layer's being unreadable. */
  void countTagRefreshFallback() {
    tagRefreshFallbacks.increment();
  }

  /** Graceful mode kept a tag invalidation locally, the layer being unable to store it. */
  void countLocalOnlyTagInvalidation() {
    localTagInvalidations.increment();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The layer's leases, behind the same breaker: lease calls fail fast while it is open. */
  @Override
  public LoadLeases<K> loadLeases() {
    LoadLeases<K> leases = delegate.loadLeases();
    if (leases == null || breaker == null) {
      return leases;
    }
    return new LoadLeases<>() {
      @Override
      public Lease tryAcquire(K key, java.time.Duration leaseTime) {
        return call(() -> leases.tryAcquire(key, leaseTime));
      }

      @Override
      public State state(K key) {
        return call(() -> leases.state(key));
      }

      @Override
      public Watch watchRelease(K key, ReleaseListener onRelease) {
        return leases.watchRelease(key, onRelease); // never blocks, never fails a caller: no breaker needed
      }
    };
  }

  /** The layer's tag timestamps, behind the same breaker: tag calls fail fast while it is open. */
  @Override
  public TagTimestamps tagTimestamps() {
    TagTimestamps timestamps = delegate.tagTimestamps();
    if (timestamps == null || breaker == null) {
      return timestamps;
    }
    return new TagTimestamps() {
      @Override
      public long raise(String tag, long stamp) {
        return call(() -> timestamps.raise(tag, stamp));
      }

      @Override
      public long[] read(java.util.List<String> tags) {
        return call(() -> timestamps.read(tags));
      }
    };
  }

  private <T> T call(Supplier<T> operation) {
    if (breaker == null) {
      return operation.get();
    }
    if (!breaker.tryAcquirePermission()) {
      metrics.recordLayer(index, LayerEvent.REJECTED);
      throw new LayerUnavailableException("cache '" + cacheName + "': layer " + delegate.name()
          + " is unavailable (circuit breaker open)", CallNotPermittedException.createCallNotPermittedException(breaker));
    }
    long start = System.nanoTime();
    try {
      T result = operation.get();
      breaker.onSuccess(timed(start), TimeUnit.NANOSECONDS);
      return result;
    } catch (LayerFailureException e) {
      breaker.onError(timed(start), TimeUnit.NANOSECONDS, e);
      metrics.recordLayer(index, LayerEvent.FAILURE);
      if (events.isActive()) {
        events.publish(new CacheEvent.LayerError<>(cacheName, delegate.name(), e));
      }
      // the layer's message already names the cache and the operation
      throw e instanceof LayerUnavailableException ? e : new LayerUnavailableException(e.getMessage(), e);
    } catch (RuntimeException e) {
      breaker.onSuccess(timed(start), TimeUnit.NANOSECONDS);
      throw e;
    } catch (Error e) {
      metrics.recordLayerCall(index, System.nanoTime() - start);
      // an Error from user code run inside the call (a compute function): not the layer's failure,
      // but the permit must go back, or a half-open breaker would refuse every call from now on
      breaker.releasePermission();
      throw e;
    }
  }

  /** The time since {@code start}, counted as one call of this layer. */
  private long timed(long start) {
    long nanos = System.nanoTime() - start;
    metrics.recordLayerCall(index, nanos);
    return nanos;
  }
}
