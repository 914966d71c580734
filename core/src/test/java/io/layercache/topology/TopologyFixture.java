package io.layercache.topology;

import io.layercache.DegradationMode;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.ManualTime;
import io.layercache.ResilienceSettings;
import io.layercache.event.CacheEvent;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.CacheInstances;
import io.layercache.testing.Chaos;
import io.layercache.testing.InMemoryRemote;
import io.layercache.testing.InMemoryRemoteLayer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * What every topology test starts from: a fresh shared remote, a chaos switch (off), instances
 * (cache managers) that share one manual clock, and a thread pool; all released after the test,
 * hung calls first.
 */
abstract class TopologyFixture {

  /** A value that is expired once the clock moves past it. */
  static final Duration SHORT_TTL = Duration.ofSeconds(10);

  protected final ManualTime time = new ManualTime();
  protected final InMemoryRemote remote = InMemoryRemote.create();
  protected final Chaos chaos = Chaos.create();
  protected final CacheInstances instances = new CacheInstances(getClass().getClassLoader());
  protected final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void releaseEverything() {
    chaos.off();
    pool.shutdownNow();
    instances.close();
    remote.forget();
  }

  /** A String→String configuration on the shared clock with {@code layers}, statistics on (layer counters count). */
  LayerCacheConfiguration<String, String> config(LayerSpec... layers) {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class).setTimeSource(time)
        .setLayers(layers).setStatisticsEnabled(true);
  }

  LayerCacheConfiguration<String, String> memoryOnly() {
    return config(MemoryLayerSpec.defaults());
  }

  LayerCacheConfiguration<String, String> memoryAndRemote() {
    return config(MemoryLayerSpec.defaults(), remote.spec());
  }

  LayerCacheConfiguration<String, String> memoryAndChaoticRemote() {
    return config(MemoryLayerSpec.defaults(), remote.spec().withChaos(chaos));
  }

  static ResilienceSettings strict(int failureThreshold, Duration breakDuration) {
    return new ResilienceSettings(DegradationMode.STRICT, failureThreshold, breakDuration);
  }

  static ResilienceSettings graceful(int failureThreshold, Duration breakDuration) {
    return new ResilienceSettings(DegradationMode.GRACEFUL, failureThreshold, breakDuration);
  }

  /** Fail-safe on: values up to an hour old may be served stale, and are cached again for 30 s. */
  static FailSafeSettings failSafe() {
    return FailSafeSettings.disabled().enabled(Duration.ofHours(1), Duration.ofSeconds(30));
  }

  /** The remote layer instance {@code index} (0 first) built for {@code cache}. */
  InMemoryRemoteLayer<String, String> remoteLayerOf(String cache, int index) {
    return remote.layer(cache, index);
  }

  /** Every event of {@code type} the cache publishes from now on. */
  static <E extends CacheEvent<String>> List<E> record(LayerCache<String, ?> cache, Class<E> type) {
    List<E> events = new CopyOnWriteArrayList<>();
    cache.subscribe(event -> {
      if (type.isInstance(event)) {
        events.add(type.cast(event));
      }
    });
    return events;
  }

  /** {@code raw} as the class of a generic event type, for {@link #record}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <E> Class<E> type(Class raw) {
    return raw;
  }

  /** Counts the cache's {@code InFlightJoined} events: callers that joined a load instead of running their own. */
  static AtomicInteger joinCounter(LayerCache<String, ?> cache) {
    AtomicInteger joined = new AtomicInteger();
    cache.subscribe(event -> {
      if (event instanceof CacheEvent.InFlightJoined<?>) {
        joined.incrementAndGet();
      }
    });
    return joined;
  }

  /** The statistics of the cache's bottom layer, where single-flight and load counters go. */
  static LayerStatistics bottom(LayerCache<String, ?> cache) {
    List<LayerStatistics> layers = cache.layerStatistics();
    return layers.get(layers.size() - 1);
  }

  /** Waits for {@code latch}, failing the calling load instead of hanging the test. */
  static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the latch");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
