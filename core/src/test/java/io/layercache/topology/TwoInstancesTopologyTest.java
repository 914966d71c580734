package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.SingleFlightSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.InMemoryRemoteLayer;
import io.layercache.testing.RemoteOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Topology 2 with two instances: two cache managers, each with its own memory layer, sharing one
 * in-memory remote (and one clock).
 */
class TwoInstancesTopologyTest extends TopologyFixture {

  private LayerCacheConfiguration<String, String> distributed(Duration lease, Duration wait) {
    return memoryAndRemote().setSingleFlight(SingleFlightSettings.distributed(lease, wait));
  }

  /** A load on {@code cache} that signals {@code started}, then waits for {@code finish}; run on the pool. */
  private CompletableFuture<String> blockedLoad(LayerCache<String, String> cache, String key, String value,
      CountDownLatch started, CountDownLatch finish) {
    return CompletableFuture.supplyAsync(() -> cache.get(key, k -> {
      started.countDown();
      awaitLatch(finish);
      return value;
    }), pool);
  }

  @Test
  void aPutOnOneInstanceReachesAnotherThroughTheRemoteOnceItsMemoryCopyIsGone() {
    LayerCacheConfiguration<String, String> config =
        config(MemoryLayerSpec.defaults().withTtl(Duration.ofMinutes(1)), remote.spec());
    LayerCache<String, String> a = instances.newCache("visible", config);
    LayerCache<String, String> b = instances.newCache("visible", config);
    InMemoryRemoteLayer<String, String> remoteOfB = remoteLayerOf("visible", 1);
    a.asJCache().put("k", "v1");
    assertThat(b.asJCache().get("k")).isEqualTo("v1");
    assertThat(remoteOfB.calls(RemoteOperation.GET)).isEqualTo(1);

    a.asJCache().put("k", "v2");
    time.advance(Duration.ofMinutes(1).plusSeconds(1)); // B's memory copy (capped at 1 minute) is gone

    assertThat(b.asJCache().get("k")).isEqualTo("v2");
    assertThat(remoteOfB.calls(RemoteOperation.GET)).isEqualTo(2);
    assertThat(b.entryInfo("k")).map(EntryInfo::layer).hasValue("memory");
  }

  @Test
  void valuesCrossInstancesAsCopiesNeverAsTheWrittenObject() {
    LayerCacheConfiguration<String, Object> byReference = new LayerCacheConfiguration<String, Object>()
        .setTimeSource(time).setStoreByValue(false).setLayers(MemoryLayerSpec.defaults(), remote.spec());
    LayerCache<String, Object> a = instances.newCache("copies", byReference);
    LayerCache<String, Object> b = instances.newCache("copies", byReference);
    List<String> written = new ArrayList<>(List.of("x"));

    a.asJCache().put("k", written);
    Object readOnB = b.asJCache().get("k");
    written.add("changed by A's caller");

    assertThat(a.asJCache().get("k")).as("store by reference within A").isSameAs(written);
    assertThat(readOnB).isEqualTo(List.of("x")).isNotSameAs(written);
    assertThat(b.asJCache().get("k")).isEqualTo(List.of("x"));
  }

  @Test
  void concurrentMissesOnTwoInstancesRunTheLoaderOnceWithDistributedSingleFlight() throws Exception {
    LayerCacheConfiguration<String, String> config = distributed(Duration.ofSeconds(5), Duration.ofSeconds(30));
    LayerCache<String, String> a = instances.newCache("stampede", config);
    LayerCache<String, String> b = instances.newCache("stampede", config);
    AtomicInteger joinedOnA = joinCounter(a);
    AtomicInteger joinedOnB = joinCounter(b);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();

    for (int i = 0; i < 8; i++) {
      results.add(pool.submit(() -> a.get("k", key -> {
        loads.incrementAndGet();
        started.countDown();
        awaitLatch(release);
        return "loaded once";
      })));
    }
    awaitLatch(started);
    for (int i = 0; i < 8; i++) {
      results.add(pool.submit(() -> b.get("k", key -> "loaded twice: " + loads.incrementAndGet())));
    }
    // 7 callers joined A's load; on B one caller waits for A's lease and 7 joined it
    await().atMost(Duration.ofSeconds(10)).until(() -> joinedOnA.get() == 7
        && b.loadStatistics().leaseWaits() == 1 && joinedOnB.get() == 8);
    release.countDown();

    for (Future<String> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
    }
    assertThat(loads).hasValue(1);
    assertThat(b.loadStatistics().servedByOtherInstance()).isEqualTo(1);
    assertThat(b.entryInfo("k")).map(EntryInfo::layer).as("backfilled on B").hasValue("memory");
  }

  @Test
  void withoutDistributedSingleFlightEachInstanceRunsItsOwnLoadAndTheFirstStoredValueStays() throws Exception {
    LayerCache<String, String> a = instances.newCache("local-flights", memoryAndRemote());
    LayerCache<String, String> b = instances.newCache("local-flights", memoryAndRemote());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> onA = blockedLoad(a, "k", "from A", started, finish);
    awaitLatch(started);

    assertThat(b.get("k", key -> "from B")).as("B does not wait for A").isEqualTo("from B");
    finish.countDown();

    assertThat(onA.get(10, TimeUnit.SECONDS)).isEqualTo("from A");
    assertThat(remoteLayerOf("local-flights", 0).peek("k").value()).as("a load never overwrites a newer write")
        .isEqualTo("from B");
    assertThat(a.asJCache().get("k")).isEqualTo("from B");
  }

  @Test
  void aLoadThatFoundNothingAnswersTheWaitersOfTheOtherInstanceWithoutASecondLoad() throws Exception {
    LayerCacheConfiguration<String, String> config = config(MemoryLayerSpec.defaults(),
        remote.spec().withFoundNothingMark(Duration.ofSeconds(30)))
        .setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    LayerCache<String, String> a = instances.newCache("found-nothing", config);
    LayerCache<String, String> b = instances.newCache("found-nothing", config);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> onA = CompletableFuture.supplyAsync(() -> a.get("absent", key -> {
      loads.incrementAndGet();
      started.countDown();
      awaitLatch(finish);
      return null;
    }), pool);
    awaitLatch(started);
    CompletableFuture<String> onB = CompletableFuture.supplyAsync(() -> b.get("absent",
        key -> "loaded again: " + loads.incrementAndGet()), pool);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.loadStatistics().leaseWaits() == 1);

    finish.countDown();

    assertThat(onA.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(onB.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(loads).hasValue(1);
    assertThat(b.loadStatistics().servedByOtherInstance()).isEqualTo(1);
  }

  @Test
  void aFailedLoadOnOneInstanceLetsTheWaitingInstanceLoadInstead() throws Exception {
    LayerCacheConfiguration<String, String> config = distributed(Duration.ofSeconds(5), Duration.ofSeconds(30));
    LayerCache<String, String> a = instances.newCache("failed-holder", config);
    LayerCache<String, String> b = instances.newCache("failed-holder", config);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    CompletableFuture<String> onA = CompletableFuture.supplyAsync(() -> a.get("k", key -> {
      started.countDown();
      awaitLatch(fail);
      throw new IllegalStateException("origin refused");
    }), pool);
    awaitLatch(started);
    CompletableFuture<String> onB = CompletableFuture.supplyAsync(() -> b.get("k", key -> "from the waiter"), pool);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.loadStatistics().leaseWaits() == 1);

    fail.countDown();

    assertThat(onB.get(10, TimeUnit.SECONDS)).isEqualTo("from the waiter");
    assertThat(onA).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingRootCause().withMessage("origin refused");
    assertThat(remoteLayerOf("failed-holder", 0).peek("k").value()).isEqualTo("from the waiter");
  }

  @Test
  void aLoadWhoseLeaseWasLostCannotOverwriteTheValueOfTheInstanceThatTookItOver() throws Exception {
    LayerCacheConfiguration<String, String> config = distributed(Duration.ofSeconds(5), Duration.ofSeconds(30));
    LayerCache<String, String> a = instances.newCache("fencing", config);
    LayerCache<String, String> b = instances.newCache("fencing", config);
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch finishFirst = new CountDownLatch(1);
    CompletableFuture<String> first = blockedLoad(a, "k", "late value", firstStarted, finishFirst);
    awaitLatch(firstStarted);

    // A is paused past its lease: the key is free, and B takes the load over under a newer lease
    assertThat(remote.store("fencing").loseLease("k")).isTrue();
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch finishSecond = new CountDownLatch(1);
    CompletableFuture<String> second = blockedLoad(b, "k", "newer value", secondStarted, finishSecond);
    awaitLatch(secondStarted);
    finishFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).as("A's caller still gets its value").isEqualTo("late value");
    assertThat(bottom(a).detail("fenced-writes")).isEqualTo(1);
    assertThat(remoteLayerOf("fencing", 0).peek("k")).as("the late value was not stored").isNull();
    finishSecond.countDown();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("newer value");
    assertThat(a.asJCache().get("k")).isEqualTo("newer value");
  }

  @Test
  void anEntryProcessorRacingAnotherInstanceRunsAgainOnTheValueThatWon() {
    LayerCacheConfiguration<String, Integer> config = new LayerCacheConfiguration<String, Integer>()
        .setTypes(String.class, Integer.class).setTimeSource(time).setLayers(MemoryLayerSpec.defaults(), remote.spec());
    LayerCache<String, Integer> a = instances.newCache("counter", config);
    LayerCache<String, Integer> b = instances.newCache("counter", config);
    a.asJCache().put("hits", 0);
    remote.store("counter").interleaveBeforeNextCompareAndSet(() -> b.asJCache().put("hits", 10));
    List<Integer> seen = new CopyOnWriteArrayList<>();

    a.asJCache().invoke("hits", (entry, arguments) -> {
      seen.add(entry.getValue());
      entry.setValue(entry.getValue() + 1);
      return null;
    });

    assertThat(seen).as("the processor ran again on B's value").containsExactly(0, 10);
    InMemoryRemoteLayer<String, Integer> remoteOfA = remote.layer("counter", 0);
    assertThat(remoteOfA.peek("hits").value()).isEqualTo(11);
    assertThat(a.asJCache().get("hits")).as("A's memory holds what won").isEqualTo(11);
    assertThat(remoteOfA.diagnostics()).containsEntry("cas-retries", 1L);
  }
}
