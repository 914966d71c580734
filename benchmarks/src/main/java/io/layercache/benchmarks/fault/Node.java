package io.layercache.benchmarks.fault;

import io.layercache.DegradationMode;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.ResilienceSettings;
import io.layercache.benchmarks.Impls;
import io.layercache.event.CacheEvent;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisConnection;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * One application instance: a cache manager of its own (own memory layer, own Redisson client)
 * with one memory+Redis cache, and what it reported through {@link LayerCache#subscribe}.
 */
final class Node implements AutoCloseable {

  /** A circuit breaker transition as it was published. */
  record Transition(long atNanos, String layer, String from, String to) {}

  /** The Redis command timeout of every scenario. */
  static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);
  /** Redisson retries per command (LayerCache's default for {@code Addresses.standalone}). */
  static final int RETRY_ATTEMPTS = RedisConnection.Addresses.standalone("redis://127.0.0.1:1").retryAttempts();
  /** The Redis layer's bound on one call: command timeout × (retries + 1) + 100 ms. */
  static final long CALL_BOUND_MS = COMMAND_TIMEOUT.toMillis() * (RETRY_ATTEMPTS + 1) + 100;

  final String label;
  final DegradationMode mode;
  final CacheManager manager;
  final Cache<String, String> jcache;
  final LayerCache<String, String> cache;
  final List<Transition> transitions = new CopyOnWriteArrayList<>();
  final AtomicLong failSafeActivations = new AtomicLong();
  final AtomicLong loadFailedEvents = new AtomicLong();
  /** When the last Written event was published (nanoTime), 0 before. */
  volatile long lastWrittenAt;
  /** When set on a thread: the events that thread causes, with their time since {@link #traceStart}. */
  private final ThreadLocal<List<String>> trace = new ThreadLocal<>();
  private final ThreadLocal<long[]> traceStart = new ThreadLocal<>();

  @SuppressWarnings("unchecked")
  private Node(String label, DegradationMode mode, String cacheName, LayerCacheConfiguration<String, String> config) {
    this.label = label;
    this.mode = mode;
    this.manager = Caching.getCachingProvider(Impls.LAYERCACHE_PROVIDER)
        .getCacheManager(URI.create("instance:" + label + "-" + UUID.randomUUID()), Node.class.getClassLoader());
    this.jcache = manager.createCache(cacheName, config);
    this.cache = jcache.unwrap(LayerCache.class);
    cache.subscribe(event -> {
      List<String> t0 = trace.get();
      if (t0 != null) {
        t0.add(String.format(java.util.Locale.ROOT, "+%.1f ms %s", (System.nanoTime() - traceStart.get()[0]) / 1e6,
            brief(event)));
      }
      if (event instanceof CacheEvent.BreakerTransition<String> t) {
        transitions.add(new Transition(System.nanoTime(), t.layer(), t.from(), t.to()));
      } else if (event instanceof CacheEvent.FailSafeActivated<String>) {
        failSafeActivations.incrementAndGet();
      } else if (event instanceof CacheEvent.Written<String>) {
        lastWrittenAt = System.nanoTime();
      } else if (event instanceof CacheEvent.LoadFailed<String>) {
        loadFailedEvents.incrementAndGet();
      }
    });
  }

  /** Starts recording the events this thread causes. */
  void startTrace(long startNanos) {
    trace.set(new java.util.ArrayList<>());
    traceStart.set(new long[] {startNanos});
  }

  /** Stops recording and returns the events this thread caused since {@link #startTrace}. */
  List<String> endTrace() {
    List<String> events = trace.get();
    trace.remove();
    return events == null ? List.of() : events;
  }

  private static String brief(CacheEvent<String> event) {
    if (event instanceof CacheEvent.Miss<String> e) {
      return "Miss(" + e.layer() + ")";
    } else if (event instanceof CacheEvent.Hit<String> e) {
      return "Hit(" + e.layer() + ")";
    } else if (event instanceof CacheEvent.BreakerTransition<String> e) {
      return "Breaker(" + e.from() + "→" + e.to() + ")";
    } else if (event instanceof CacheEvent.LoadFailed<String> e) {
      return "LoadFailed(" + e.error().getClass().getSimpleName() + ")";
    }
    return event.getClass().getSimpleName();
  }

  /** The memory + Redis configuration of the report: command timeout 200 ms, the given breaker. */
  static LayerCacheConfiguration<String, String> memoryAndRedis(RedisServer redis, DegradationMode mode,
      int breakerFailures, Duration breakDuration) {
    RedisConnection.Addresses connection = RedisConnection.Addresses.standalone(redis.uri())
        .withCommandTimeout(COMMAND_TIMEOUT);
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of(connection));
    config.setStatisticsEnabled(true); // the report reads the per-layer counters
    config.setResilience(ResilienceSettings.defaults().withMode(mode).withCircuitBreaker(breakerFailures, breakDuration));
    return config;
  }

  static Node create(String label, DegradationMode mode, String cacheName, LayerCacheConfiguration<String, String> config) {
    return new Node(label, mode, cacheName, config);
  }

  /** Redis-backed successes so far: Redis layer hits plus entries written to Redis. */
  long redisSuccesses() {
    for (LayerStatistics s : cache.layerStatistics()) {
      if ("redis".equals(s.layer())) {
        return s.hits() + s.writes();
      }
    }
    return 0;
  }

  /** The Redis layer's statistics, or null. */
  LayerStatistics redisStatistics() {
    for (LayerStatistics s : cache.layerStatistics()) {
      if ("redis".equals(s.layer())) {
        return s;
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      manager.close();
    } catch (RuntimeException e) {
      System.err.println("closing " + label + ": " + e);
    }
  }
}
