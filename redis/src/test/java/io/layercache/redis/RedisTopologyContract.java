package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.SingleFlightSettings;
import io.layercache.codec.CodecSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis layer must do on every Redis topology, run against a real one by each subclass
 * (standalone, Cluster, Sentinel, TLS with an ACL user): the JCache operations through
 * memory + Redis across instances, iteration and clear, and distributed single-flight with its
 * fencing. A subclass starts its topology once for the class and says how to reach it and how to
 * look at its keys; each test uses caches of its own.
 */
abstract class RedisTopologyContract extends RedisStackFixture {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  /** How the layer connects to the topology under test. */
  protected abstract RedisConnection connection();

  /** The number of keys matching {@code pattern}, over every master. */
  protected abstract long countKeys(String pattern);

  /** Deletes {@code key} wherever it lives, bypassing the layer. */
  protected abstract void deleteKey(String key);

  /** Clients subscribed to {@code channel} (for Cluster: on the node Redisson subscribes it on). */
  protected long subscribers(String channel) {
    try (io.layercache.layer.SharedResources shared = new io.layercache.layer.SharedResources()) {
      return RedisClients.clientFor(connection(), shared).getTopic(channel).countSubscribers();
    }
  }

  /** The layer under test: this topology, values of this package allowed. */
  protected RedisLayerSpec layer() {
    return RedisLayerSpec.of(connection())
        .withCodec(CodecSettings.defaults().withAllowedClassPrefixes("io.layercache.redis."));
  }

  private LayerCacheConfiguration<String, String> config() {
    return memoryAndRedis(layer());
  }

  private LayerCacheConfiguration<String, String> singleFlight() {
    return config().setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void jcacheOperationsWorkAcrossInstancesThroughRedis() throws Exception {
    Cache<String, String> writer = instance().createCache("ops", config());
    for (int i = 0; i < 100; i++) {
      writer.put("key-" + i, "value-" + i);
    }
    Cache<String, String> reader = instance().createCache("ops", config());
    for (int i = 0; i < 100; i++) {
      assertThat(reader.get("key-" + i)).isEqualTo("value-" + i);
    }
    assertThat(layered(reader).layerStatistics().get(1).hits()).as("read from Redis, not memory").isEqualTo(100);

    assertThat(reader.replace("key-1", "value-1", "changed")).isTrue();
    assertThat(reader.putIfAbsent("key-2", "nope")).isFalse();
    assertThat(reader.getAndRemove("key-3")).isEqualTo("value-3");
    assertThat(reader.remove("key-4", "value-4")).isTrue();
    assertThat(reader.<Integer>invoke("key-5", (entry, args) -> entry.getValue().length())).isEqualTo(7);

    Cache<String, String> third = instance().createCache("ops", config());
    assertThat(third.get("key-1")).isEqualTo("changed");
    assertThat(third.containsKey("key-3")).isFalse();
    assertThat(third.containsKey("key-4")).isFalse();
    assertThat(third.getAll(Set.of("key-6", "key-7"))).isEqualTo(Map.of("key-6", "value-6", "key-7", "value-7"));

    // compare-and-set scripts under contention: no lost update, one putIfAbsent winner
    List<Cache<String, String>> both = List.of(writer, third);
    List<CompletableFuture<Object>> increments = new ArrayList<>();
    writer.put("counter", "0");
    for (int i = 0; i < 40; i++) {
      Cache<String, String> cache = both.get(i % 2);
      increments.add(CompletableFuture.supplyAsync(() -> cache.invoke("counter", (entry, args) -> {
        entry.setValue(String.valueOf(Integer.parseInt(entry.getValue()) + 1));
        return null;
      }), pool));
    }
    AtomicInteger winners = new AtomicInteger();
    List<CompletableFuture<Void>> claims = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Cache<String, String> cache = both.get(i % 2);
      String claimant = "worker-" + i;
      claims.add(CompletableFuture.runAsync(() -> {
        if (cache.putIfAbsent("claim", claimant)) {
          winners.incrementAndGet();
        }
      }, pool));
    }
    for (CompletableFuture<?> done : increments) {
      done.get(30, TimeUnit.SECONDS);
    }
    for (CompletableFuture<?> done : claims) {
      done.get(30, TimeUnit.SECONDS);
    }
    assertThat(instance().createCache("ops", config()).get("counter")).isEqualTo("40");
    assertThat(winners).hasValue(1);
  }

  @Test
  void iterationSeesEveryEntryAndClearEmptiesRedis() {
    Cache<String, String> writer = instance().createCache("walk", config());
    for (int i = 0; i < 150; i++) {
      writer.put("key-" + i, "value-" + i);
    }
    writer.put("x".repeat(2_000), "a digested key");
    Cache<String, String> reader = instance().createCache("walk", config());
    Map<String, String> seen = new HashMap<>();
    for (Cache.Entry<String, String> entry : reader) {
      seen.put(entry.getKey(), entry.getValue());
    }
    assertThat(seen).hasSize(151).containsEntry("key-149", "value-149").containsEntry("x".repeat(2_000), "a digested key");

    reader.removeAll(Set.of("key-0", "key-1", "key-2"));
    assertThat(countKeys("lc:walk:e:*")).isEqualTo(148);
    reader.clear();
    assertThat(countKeys("lc:walk:*")).isZero();
    assertThat(instance().createCache("walk", config()).get("key-10")).isNull();
  }

  @Test
  void concurrentMissesOnThreeInstancesRunTheLoaderOncePerKey() throws Exception {
    List<LayerCache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      caches.add(layered(instance().createCache("stampede", singleFlight())));
    }
    AtomicInteger calls = new AtomicInteger();
    for (int round = 0; round < 5; round++) {
      String key = "k" + round;
      List<String> values = concurrently(caches, 4, cache -> cache.get(key, k -> {
        calls.incrementAndGet();
        sleep(50);
        return "value of " + k;
      }));
      assertThat(values).hasSize(12).containsOnly("value of " + key);
    }
    assertThat(calls).as("one loader call per key across the instances").hasValue(5);
    assertThat(caches.stream().mapToLong(c -> c.loadStatistics().leasesTaken()).sum()).isEqualTo(5);
    assertThat(countKeys("lc:stampede:l:*")).as("leases released").isZero();
    assertThat(countKeys("lc:stampede:f:*")).as("fences kept").isEqualTo(5);
  }

  @Test
  void aLoadWhoseLeaseWasTakenOverCannotOverwriteTheNewerValue() throws Exception {
    LayerCache<String, String> first = layered(instance().createCache("fencing", singleFlight()));
    LayerCache<String, String> second = layered(instance().createCache("fencing", singleFlight()));
    CountDownLatch finishFirst = new CountDownLatch(1);
    CompletableFuture<String> late = blockedLoad(first, "late value", finishFirst);

    // The first holder loses its lease (as if paused past it); the second takes the load over.
    deleteKey("lc:fencing:l:{sk}");
    CountDownLatch finishSecond = new CountDownLatch(1);
    CompletableFuture<String> newer = blockedLoad(second, "newer value", finishSecond);
    finishFirst.countDown();

    assertThat(late.get(10, TimeUnit.SECONDS)).isEqualTo("late value");
    assertThat(bottom(first).detail("fenced-writes")).isEqualTo(1);
    assertThat(countKeys("lc:fencing:e:*")).as("the late value was not stored").isZero();
    finishSecond.countDown();
    assertThat(newer.get(10, TimeUnit.SECONDS)).isEqualTo("newer value");
    assertThat(instance().createCache("fencing", singleFlight()).get("k")).isEqualTo("newer value");
  }

  /**
   * A waiting instance hears lease releases on this topology: an announcement on the channel wakes
   * it (the lease still held, it waits on), and the store script's own {@code PUBLISH} reaches
   * a subscriber (on Cluster it crosses nodes), without an invalidation bus, carrying the stored
   * value, signed (so the holder read the namespace's notice key on this topology).
   */
  @Test
  void aWaitingInstanceHearsTheLeaseRelease() throws Exception {
    // the instances of earlier tests are closed; their subscriptions end with their connections
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("lc:lease-released") == 0);
    LayerCache<String, String> holder = layered(instance().createCache("release", singleFlight()));
    LayerCache<String, String> waiter = layered(instance().createCache("release", singleFlight()));
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> loaded = blockedLoad(holder, "loaded once", finish);
    CompletableFuture<String> waited = CompletableFuture.supplyAsync(() -> waiter.get("k", k -> "loaded twice"), pool);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> waiter.loadStatistics().leaseWaits() == 1 && subscribers("lc:lease-released") == 1);
    List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (io.layercache.layer.SharedResources shared = new io.layercache.layer.SharedResources()) {
      var topic = RedisClients.clientFor(connection(), shared)
          .getTopic("lc:lease-released", org.redisson.client.codec.ByteArrayCodec.INSTANCE);
      topic.addListener(byte[].class, (channel, notice) -> published.add(new String(notice, StandardCharsets.UTF_8)));

      topic.publish("lc:release:l:{sk}".getBytes(StandardCharsets.UTF_8));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> bottom(waiter).detail("lease-releases-heard") == 1);
      assertThat(waited).as("woken, the waiter found the lease still held").isNotDone();

      finish.countDown();
      assertThat(loaded.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
      assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(published)
          .as("the test's announcement, then the store script's, carrying the value").hasSize(2)
          .satisfies(notices -> assertThat(notices.get(0)).isEqualTo("lc:release:l:{sk}"))
          .satisfies(notices -> assertThat(notices.get(1)).startsWith("\0V").contains("lc:release:l:{sk}")));
    }
  }

  /** Starts {@code cache.get("k")} with a loader that blocks until {@code finish}; returns once it runs. */
  private CompletableFuture<String> blockedLoad(LayerCache<String, String> cache, String value, CountDownLatch finish)
      throws InterruptedException {
    CountDownLatch loading = new CountDownLatch(1);
    CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> cache.get("k", k -> {
      loading.countDown();
      await(finish);
      return value;
    }), pool);
    assertThat(loading.await(5, TimeUnit.SECONDS)).as("the loader of %s started", value).isTrue();
    return result;
  }

  private List<String> concurrently(List<LayerCache<String, String>> caches, int perInstance,
      Function<LayerCache<String, String>, String> call) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (LayerCache<String, String> cache : caches) {
      for (int t = 0; t < perInstance; t++) {
        results.add(CompletableFuture.supplyAsync(() -> {
          await(start);
          return call.apply(cache);
        }, pool));
      }
    }
    start.countDown();
    List<String> values = new ArrayList<>();
    for (CompletableFuture<String> result : results) {
      values.add(result.get(20, TimeUnit.SECONDS));
    }
    return values;
  }

  private static LayerStatistics bottom(LayerCache<String, String> cache) {
    List<LayerStatistics> layers = cache.layerStatistics();
    return layers.get(layers.size() - 1);
  }

  /** The invalidation bus on this topology (sharded pub/sub on Cluster): every change reaches the other instance's memory. */
  @Test
  void theBusKeepsAnotherInstancesMemoryLayerCoherent() {
    LayerCacheConfiguration<String, String> withBus = config().setBus(io.layercache.bus.BusConfig.of(
        new RedisBusSpec(connection(), "layercache:invalidations"),
        io.layercache.bus.BusSettings.defaults("topology")));
    LayerCache<String, String> a = layered(instance().createCache("bus", withBus));
    LayerCache<String, String> b = layered(instance().createCache("bus", withBus));
    for (String key : List.of("put", "removed", "tagged")) {
      a.set(key, "v1", io.layercache.EntryOptions.defaults().withTags("t"));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(b.asJCache().get(key)).isEqualTo("v1");
        assertThat(b.entryInfo(key).orElseThrow().layer()).isEqualTo("memory");
      });
    }

    a.asJCache().put("put", "v2");
    a.asJCache().remove("removed");
    a.invalidateByTag("t");

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(b.asJCache().get("put")).isEqualTo("v2");
      assertThat(b.asJCache().get("removed")).isNull();
      assertThat(b.asJCache().get("tagged")).isNull();
    });
    assertThat(b.busStatistics().orElseThrow().rejectedTotal()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // the loader's simulated origin latency, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
