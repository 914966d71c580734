package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.DegradationMode;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.ResilienceSettings;
import io.layercache.SingleFlightSettings;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Distributed single-flight between cache managers standing for separate instances (each with
 * its own memory layer and Redis client) on one real Redis. The several-JVM proof is
 * {@link MultiProcessStampedeIT}.
 */
@ExtendWith(RedisServerExtension.class)
class DistributedSingleFlightIT extends RedisStackFixture {

  private final RedisServer redis;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  DistributedSingleFlightIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
    if (!redis.isAlive()) {
      redis.restart();
    }
  }

  private LayerCacheConfiguration<String, String> config(Duration lease, Duration wait) {
    LayerCacheConfiguration<String, String> config = memoryAndRedis(redis);
    return config.setSingleFlight(SingleFlightSettings.distributed(lease, wait));
  }

  private List<LayerCache<String, String>> instances(String cache, int count, LayerCacheConfiguration<String, String> config) {
    List<LayerCache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      caches.add(layered(instance().createCache(cache, config)));
    }
    return caches;
  }

  @Test
  void concurrentMissesOnThreeInstancesRunTheLoaderOncePerKey() throws Exception {
    List<LayerCache<String, String>> caches = instances("stampede", 3, config(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    for (int round = 0; round < 5; round++) {
      String key = "k" + round;
      AtomicInteger calls = new AtomicInteger();
      List<String> values = concurrently(caches, 10, cache -> cache.get(key, k -> {
        calls.incrementAndGet();
        sleep(50);
        return "value of " + k;
      }));
      assertThat(values).hasSize(30).containsOnly("value of " + key);
      assertThat(calls).as("loader calls in round %d", round).hasValue(1);
    }
    long servedByOthers = caches.stream()
        .mapToLong(c -> c.loadStatistics().servedByOtherInstance()).sum();
    assertThat(servedByOthers).isGreaterThanOrEqualTo(5 * 2);
  }

  /**
   * Taking the lease also tells whether Redis holds the entry, so a miss that takes the lease
   * where nothing is stored loads at once: one read of Redis before the lease (the miss), none
   * after it (the store's compare-and-set is a write).
   */
  @Test
  void aLeaseTakenWhereNothingIsStoredLoadsWithoutReadingTheEntryAgain() {
    LayerCacheConfiguration<String, String> config = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    config.setStatisticsEnabled(true);
    LayerCache<String, String> cache = instances("lease-and-check", 1, config).get(0);

    assertThat(cache.get("absent", k -> "loaded")).isEqualTo("loaded");

    LayerStatistics redisLayer = cache.layerStatistics().get(1);
    assertThat(redisLayer.misses()).as("reads of Redis that found nothing").isEqualTo(1);
    assertThat(redisLayer.details()).as("the store wrote 'if still absent' without reading first")
        .containsEntry("writes-without-read", 1L);
    assertThat(cache.loadStatistics().leasesTaken()).isEqualTo(1);
    assertThat(redis.command("EXISTS", "lc:lease-and-check:e:{sabsent}")).isEqualTo(1L);
  }

  /**
   * A read that will load reads the entry and takes the lease in one script call: when the
   * loader starts, Redis has seen one command of this load, no plain {@code GET}.
   */
  @Test
  void aMissThatLoadsReadsAndTakesTheLeaseInOneRoundTrip() {
    LayerCache<String, String> cache = instances("one-trip", 1, config(Duration.ofSeconds(5), Duration.ofSeconds(5))).get(0);
    assertThat(cache.get("warm-up", k -> "loaded")).isEqualTo("loaded"); // loads the scripts, opens connections
    redis.command("CONFIG", "SET", "slowlog-log-slower-than", "0"); // log every command
    redis.command("SLOWLOG", "RESET");
    List<String> beforeTheLoader = new ArrayList<>();
    try {
      assertThat(cache.get("absent", k -> {
        beforeTheLoader.addAll(clientCommands());
        return "loaded";
      })).isEqualTo("loaded");
    } finally {
      redis.command("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    }

    assertThat(beforeTheLoader).as("the clients' commands before the loader ran").containsExactly("EVALSHA");
    assertThat(cache.loadStatistics().leasesTaken()).isEqualTo(2);
    assertThat(redis.command("EXISTS", "lc:one-trip:l:{sabsent}")).as("the lease released after the load").isEqualTo(0L);
  }

  /**
   * The fenced write that stores a loaded value also releases the load's lease and announces it,
   * in one script: no {@code lease-release.lua} call on the lease key follows, neither when the
   * value is stored nor later (a second load's store, sent after it, is the barrier).
   */
  @Test
  void theStoreOfALoadedValueReleasesItsLeaseInTheSameScript() {
    LayerCache<String, String> cache = instances("store-releases", 1, config(Duration.ofSeconds(5), Duration.ofSeconds(5))).get(0);
    assertThat(cache.get("warm-up", k -> "loaded")).isEqualTo("loaded");
    redis.command("CONFIG", "SET", "slowlog-log-slower-than", "0");
    redis.command("SLOWLOG", "RESET");
    List<List<String>> sent;
    try {
      assertThat(cache.get("k", k -> "loaded")).isEqualTo("loaded");
      assertThat(redis.command("EXISTS", "lc:store-releases:l:{sk}")).as("the lease, once get returned").isEqualTo(0L);
      assertThat(cache.get("barrier", k -> "loaded")).isEqualTo("loaded");
      sent = clientCommandsWithArguments();
    } finally {
      redis.command("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    }
    assertThat(sent).as("the store, its script naming the lease key last").anyMatch(command -> command.get(0).equals("EVALSHA")
        && command.get(3).equals("lc:store-releases:e:{sk}") && command.contains("lc:store-releases:l:{sk}"));
    assertThat(sent).as("scripts called on the lease key itself").noneMatch(
        command -> command.get(0).equals("EVALSHA") && command.get(3).equals("lc:store-releases:l:{sk}"));
    assertThat(cache.loadStatistics().leasesTaken()).isEqualTo(3);
  }

  /**
   * When another instance waits for the load, the store's notice carries the value, signed: the
   * waiter returns it without reading the entry, and does not copy it into its memory layer (an
   * invalidation may have come first), so its next read of the key goes to Redis.
   */
  @Test
  void aWaiterIsHandedTheStoredValueByTheReleaseNotice() throws Exception {
    List<LayerCache<String, String>> caches = instances("notice-value", 2, config(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    // A waiter whose lease poll (every 50 ms) lands between the store and its notice reads the entry
    // instead: correct, and rare; so up to five keys, until one waiter is handed the value.
    for (int attempt = 0; attempt < 5; attempt++) {
      String key = "k" + attempt;
      long heardBefore = bottom(caches.get(1)).detail("lease-release-values-heard");
      List<List<String>> untilReturned = waitForALoadOf(caches, key);
      if (bottom(caches.get(1)).detail("lease-release-values-heard") == heardBefore) {
        continue;
      }
      assertThat(untilReturned).as("reads of the entry before the waiter returned").noneMatch(command -> reads(command, key));
      redis.command("CONFIG", "SET", "slowlog-log-slower-than", "0");
      redis.command("SLOWLOG", "RESET");
      try {
        assertThat(caches.get(1).get(key, k -> "loaded twice")).isEqualTo("loaded once");
        assertThat(clientCommandsWithArguments()).as("the next read, not served from memory").anyMatch(command -> reads(command, key));
      } finally {
        redis.command("CONFIG", "SET", "slowlog-log-slower-than", "10000");
      }
      return;
    }
    org.junit.jupiter.api.Assertions.fail("no waiter of five was handed the value by the notice");
  }

  /** Instance 1 waits for instance 0's load of {@code key}; the clients' commands from the store until the waiter returned. */
  private List<List<String>> waitForALoadOf(List<LayerCache<String, String>> caches, String key) throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    long waits = caches.get(1).loadStatistics().leaseWaits();
    CompletableFuture<String> holder = blockedLoad(caches.get(0), key, "loaded once", finish);
    CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> caches.get(1).get(key, k -> "loaded twice"), pool);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> caches.get(1).loadStatistics().leaseWaits() == waits + 1
        && subscribers("lc:lease-released") >= 1);
    redis.command("CONFIG", "SET", "slowlog-log-slower-than", "0");
    redis.command("SLOWLOG", "RESET");
    try {
      finish.countDown();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
      assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
      return clientCommandsWithArguments();
    } finally {
      redis.command("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    }
  }

  /**
   * A signed notice of an earlier load of the key (late, or recorded and replayed by a client
   * that may publish on the channel) names an older lease than the one the waiter saw held: it
   * only wakes the waiter, which reads Redis and waits on.
   */
  @Test
  void aSignedNoticeOfAnEarlierLoadIsNotServed() throws Exception {
    List<LayerCache<String, String>> caches = instances("replayed-notice", 2, config(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    List<byte[]> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.redisson.config.Config listening = new org.redisson.config.Config();
    listening.useSingleServer().setAddress(redis.uri());
    org.redisson.api.RedissonClient recorder = org.redisson.Redisson.create(listening);
    try {
      recorder.getTopic("lc:lease-released", org.redisson.client.codec.ByteArrayCodec.INSTANCE)
          .addListener(byte[].class, (channel, notice) -> notices.add(notice));
      waitForALoadOf(caches, "k");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notices.stream().anyMatch(n -> n[0] == 0));
      byte[] earlier = notices.stream().filter(n -> n[0] == 0).findFirst().orElseThrow();
      caches.get(0).asJCache().remove("k"); // from Redis and each instance's memory
      caches.get(1).asJCache().remove("k");

      CountDownLatch finish = new CountDownLatch(1);
      CompletableFuture<String> holder = blockedLoad(caches.get(0), "k", "loaded again", finish);
      CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> caches.get(1).get("k", k -> "loaded twice"), pool);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> caches.get(1).loadStatistics().leaseWaits() == 2);
      long heard = bottom(caches.get(1)).detail("lease-releases-heard");
      redis.publishRaw("lc:lease-released", earlier);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> bottom(caches.get(1)).detail("lease-release-values-stale") == 1);
      assertThat(bottom(caches.get(1)).detail("lease-releases-heard")).isEqualTo(heard + 1);
      assertThat(waiter).as("woken, the waiter found the lease still held").isNotDone();
      finish.countDown();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded again");
      assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("loaded again");
    } finally {
      recorder.shutdown();
    }
  }

  /**
   * A notice whose value does not verify (forged on the channel: a real envelope of the key, with
   * a zero signature) only wakes the waiter, which reads Redis, finds the lease still held and waits on.
   */
  @Test
  void aForgedValueInAReleaseNoticeIsNotServed() throws Exception {
    List<LayerCache<String, String>> caches = instances("forged-notice", 2, config(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    caches.get(0).asJCache().put("k", "forged"); // a well-formed envelope of this very key, for the forger to replay
    byte[] envelope = (byte[]) redis.command("GET", "lc:forged-notice:e:{sk}");
    caches.get(0).asJCache().remove("k");
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> holder = blockedLoad(caches.get(0), "k", "loaded once", finish);
    CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> caches.get(1).get("k", k -> "loaded twice"), pool);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> caches.get(1).loadStatistics().leaseWaits() == 1
        && subscribers("lc:lease-released") >= 1);
    byte[] name = "lc:forged-notice:l:{sk}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long fence = Long.parseLong(text(redis.command("GET", "lc:forged-notice:f:{sk}"))); // the holder's: only the signature is wrong
    byte[] forged = java.nio.ByteBuffer.allocate(3 + 2 + name.length + 8 + 32 + envelope.length).put(new byte[] {0, 'V', 1})
        .putShort((short) name.length).put(name).putLong(fence).put(new byte[32]).put(envelope).array();
    redis.publishRaw("lc:lease-released", forged);

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> bottom(caches.get(1)).detail("lease-release-values-unverified") == 1);
    assertThat(bottom(caches.get(1)).detail("lease-releases-heard")).isEqualTo(1);
    assertThat(waiter).as("woken, the waiter found the lease still held").isNotDone();
    assertThat(bottom(caches.get(1)).details()).doesNotContainKey("lease-release-values-heard");
    finish.countDown();
    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
  }

  /** A {@code GET} of the entry {@code key}, or a {@code read-or-lease.lua} call on it (entry key, then lease key). */
  private static boolean reads(List<String> command, String key) {
    return command.get(0).equals("GET") && command.get(1).endsWith(":e:{s" + key + "}")
        || command.get(0).equals("EVALSHA") && command.size() > 4 && command.get(3).endsWith(":e:{s" + key + "}")
        && command.get(4).endsWith(":l:{s" + key + "}");
  }

  /**
   * A waiting instance whose read found the lease held waits at once: it does not ask for the
   * lease again (no {@code lease-acquire.lua} call on the lease key) before it waits.
   */
  @Test
  void aReadThatFindsTheLeaseHeldWaitsWithoutAskingForItAgain() throws Exception {
    List<LayerCache<String, String>> caches = instances("seen-held", 2, config(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> holder = blockedLoad(caches.get(0), "k", "loaded once", finish);
    redis.command("CONFIG", "SET", "slowlog-log-slower-than", "0");
    redis.command("SLOWLOG", "RESET");
    List<List<String>> sent;
    try {
      CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> caches.get(1).get("k", k -> "loaded twice"), pool);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> caches.get(1).loadStatistics().leaseWaits() == 1);
      sent = clientCommandsWithArguments();
      finish.countDown();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
    } finally {
      redis.command("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    }
    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
    assertThat(sent).as("the waiter's read (read-or-lease.lua, on the entry key) came").anyMatch(
        command -> command.get(0).equals("EVALSHA") && command.get(3).equals("lc:seen-held:e:{sk}"));
    assertThat(sent).as("scripts called on the lease key before the waiter waited").noneMatch(
        command -> command.get(0).equals("EVALSHA") && command.get(3).equals("lc:seen-held:l:{sk}"));
  }

  /** {@link #clientCommands}, each with its arguments. */
  private List<List<String>> clientCommandsWithArguments() {
    List<List<String>> commands = new ArrayList<>();
    for (Object entry : (List<?>) redis.command("SLOWLOG", "GET", "1000")) {
      List<?> fields = (List<?>) entry;
      List<String> command = ((List<?>) fields.get(3)).stream().map(DistributedSingleFlightIT::text).toList();
      String name = command.get(0).toUpperCase(java.util.Locale.ROOT);
      if (!"?:0".equals(text(fields.get(4))) && !name.equals("SLOWLOG") && !name.equals("CONFIG")) {
        List<String> normalized = new ArrayList<>(command);
        normalized.set(0, name);
        commands.add(0, normalized);
      }
    }
    return commands;
  }

  /** The commands clients sent since the slow log was reset, oldest first (not the commands scripts ran, nor this test's). */
  private List<String> clientCommands() {
    List<String> commands = new ArrayList<>();
    for (Object entry : (List<?>) redis.command("SLOWLOG", "GET", "1000")) {
      List<?> fields = (List<?>) entry;
      String command = text(((List<?>) fields.get(3)).get(0)).toUpperCase(java.util.Locale.ROOT);
      if (!"?:0".equals(text(fields.get(4))) && !command.equals("SLOWLOG") && !command.equals("CONFIG")) {
        commands.add(0, command);
      }
    }
    return commands;
  }

  private static String text(Object reply) {
    return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
  }

  /**
   * The store of a load whose lease found no entry tries "if still absent" first; when another
   * writer stored the key meanwhile, it falls back to reading the entry, and the newer value stays.
   */
  @Test
  void aLoadWhoseKeyWasWrittenMeanwhileKeepsTheNewerValue() {
    LayerCacheConfiguration<String, String> config = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    config.setStatisticsEnabled(true);
    List<LayerCache<String, String>> caches = instances("absent-guess", 2, config);
    String value = caches.get(0).get("k", k -> {
      caches.get(1).asJCache().put(k, "written meanwhile"); // a plain put: no lease, no single-flight
      return "loaded";
    });
    assertThat(value).isEqualTo("loaded"); // the caller gets its own load's value
    assertThat(caches.get(0).layerStatistics().get(1).details()).doesNotContainKey("writes-without-read");
    assertThat(caches.get(1).asJCache().get("k")).isEqualTo("written meanwhile");
    assertThat(caches.get(0).asJCache().get("k")).isEqualTo("written meanwhile");
  }

  @Test
  void jcacheReadThroughIsCoordinatedAcrossInstancesToo() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    SlowCountingLoader.calls = calls;
    LayerCacheConfiguration<String, String> config = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    config.setReadThrough(true).setCacheLoaderFactory(javax.cache.configuration.FactoryBuilder.factoryOf(
        SlowCountingLoader.class));
    List<LayerCache<String, String>> caches = instances("read-through", 3, config);
    assertThat(concurrently(caches, 5, cache -> cache.asJCache().get("k"))).hasSize(15).containsOnly("read through k");
    assertThat(calls).hasValue(1);
  }

  /** A JCache loader taking 50 ms, counting its calls (static: the factory instantiates it). */
  public static final class SlowCountingLoader implements javax.cache.integration.CacheLoader<String, String> {
    static volatile AtomicInteger calls;

    @Override
    public String load(String key) {
      calls.incrementAndGet();
      sleep(50);
      return "read through " + key;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aLoaderThatFindsNothingIsAskedOnceEvenWithoutNegativeCaching() throws Exception {
    List<LayerCache<String, String>> caches = instances("found-nothing", 3, config(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    AtomicInteger calls = new AtomicInteger();
    List<String> values = concurrently(caches, 5, cache -> cache.get("missing", k -> {
      calls.incrementAndGet();
      sleep(100);
      return null;
    }));
    assertThat(values).hasSize(15).containsOnlyNulls();
    assertThat(calls).hasValue(1);
  }

  @Test
  void aLoadPastTheHardTimeoutKeepsItsLeaseAndStoresItsValueWhenItArrives() throws Exception {
    LayerCacheConfiguration<String, String> config = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    config.setFailSafe(io.layercache.FailSafeSettings.disabled().withHardTimeout(Duration.ofMillis(200)));
    List<LayerCache<String, String>> caches = instances("hard-timeout", 2, config);
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch finish = new CountDownLatch(1);
    io.layercache.Loader<String, String> slow = k -> {
      calls.incrementAndGet();
      await(finish);
      return "slow value";
    };

    assertThatThrownBy(() -> caches.get(0).get("k", slow)).isInstanceOf(javax.cache.integration.CacheLoaderException.class)
        .hasMessageContaining("fail-safe.hard-timeout");
    long start = System.nanoTime();
    assertThatThrownBy(() -> caches.get(1).get("k", slow)).isInstanceOf(javax.cache.integration.CacheLoaderException.class)
        .hasMessageContaining("fail-safe.hard-timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the waiter's own hard timeout bounds its wait")
        .isLessThan(Duration.ofSeconds(3));
    assertThat(calls).as("the first load kept its lease: no second origin call").hasValue(1);

    finish.countDown();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> "slow value".equals(caches.get(1).asJCache().get("k")));
    assertThat(bottom(caches.get(0)).detail("fenced-writes")).isZero();
  }

  @Test
  void aWaiterWithAStaleValueGetsItAtItsSoftTimeout() throws Exception {
    LayerCacheConfiguration<String, String> config = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    config.setFailSafe(io.layercache.FailSafeSettings.disabled().enabled(Duration.ofMinutes(10), Duration.ofSeconds(30))
        .withSoftTimeout(Duration.ofMillis(100)));
    List<LayerCache<String, String>> caches = instances("soft-timeout", 2, config);
    caches.get(0).set("k", "last good", io.layercache.EntryOptions.defaults().withTtl(Duration.ofMillis(300)));
    assertThat(caches.get(1).asJCache().get("k")).isEqualTo("last good");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> caches.get(1).entryInfo("k").map(i -> i.freshness()).orElse(null)
            == io.layercache.EntryInfo.Freshness.FAIL_SAFE);
    CountDownLatch finish = new CountDownLatch(1);
    // Another instance, with fail-safe but no timeouts, takes the lease with a loader that hangs.
    LayerCacheConfiguration<String, String> patient = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    patient.setFailSafe(io.layercache.FailSafeSettings.disabled().enabled(Duration.ofMinutes(10), Duration.ofSeconds(30)));
    LayerCache<String, String> holder = layered(instance().createCache("soft-timeout", patient));
    CompletableFuture<String> held = blockedLoad(holder, "k", "fresh", finish);

    long start = System.nanoTime();
    assertThat(caches.get(1).get("k", k -> "never: the holder has the lease")).isEqualTo("last good");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(caches.get(1).loadStatistics().softTimeouts()).isEqualTo(1);
    finish.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("fresh");
  }

  /**
   * Without an invalidation bus, a waiting instance hears the lease's release on Redis pub/sub:
   * the script that stores the loaded value releases the lease and publishes its key, and a waiter whose key is announced stops waiting
   * (here it finds the lease still held and waits on: the test announces it while the holder
   * loads, so the waiter cannot have learnt it by polling instead).
   */
  @Test
  void withoutABusAWaiterIsWokenByTheReleaseOfTheLease() throws Exception {
    // the instances of earlier tests are closed; their subscriptions end with their connections
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("lc:lease-released") == 0);
    List<LayerCache<String, String>> caches = instances("release-heard", 2, config(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<String> holder = blockedLoad(caches.get(0), "k", "loaded once", finish);
    CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> caches.get(1).get("k", k -> "loaded twice"), pool);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> caches.get(1).loadStatistics().leaseWaits() == 1
        && subscribers("lc:lease-released") == 1);
    List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.redisson.config.Config listening = new org.redisson.config.Config();
    listening.useSingleServer().setAddress(redis.uri());
    org.redisson.api.RedissonClient listener = org.redisson.Redisson.create(listening);
    try {
      listener.getTopic("lc:lease-released", org.redisson.client.codec.ByteArrayCodec.INSTANCE)
          .addListener(byte[].class, (channel, notice) -> published.add(new String(notice, java.nio.charset.StandardCharsets.UTF_8)));

      redis.command("PUBLISH", "lc:lease-released", "lc:release-heard:l:{sk}");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> bottom(caches.get(1)).detail("lease-releases-heard") == 1);
      assertThat(waiter).as("woken, the waiter found the lease still held").isNotDone();

      finish.countDown();
      assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded once");
      // the store's notice carries the value (the waiter marked the key): the lease key inside a signed header
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(published)
          .as("the test's announcement, then the store script's").hasSize(2)
          .satisfies(notices -> assertThat(notices.get(0)).isEqualTo("lc:release-heard:l:{sk}"))
          .satisfies(notices -> assertThat(notices.get(1)).startsWith("\0V").contains("lc:release-heard:l:{sk}")));
      assertThat(bottom(caches.get(0)).details()).as("nobody waited on the holder's side")
          .doesNotContainKey("lease-releases-heard");
    } finally {
      listener.shutdown();
    }
  }

  private long subscribers(String channel) {
    List<?> reply = (List<?>) redis.command("PUBSUB", "NUMSUB", channel);
    return Long.parseLong(String.valueOf(reply.get(1)));
  }

  @Test
  void aFailedLoadLetsTheWaitingInstanceLoadInstead() throws Exception {
    List<LayerCache<String, String>> caches = instances("failed-holder", 2, config(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    CountDownLatch holderLoading = new CountDownLatch(1);
    CountDownLatch failNow = new CountDownLatch(1);
    CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> caches.get(0).get("k", k -> {
      holderLoading.countDown();
      await(failNow);
      throw new IllegalStateException("origin refused");
    }), pool);
    assertThat(holderLoading.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> caches.get(1).get("k", k -> "from the waiter"), pool);
    failNow.countDown();

    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("from the waiter");
    assertThatThrownBy(() -> holder.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("origin refused");
  }

  @Test
  void aLoadTakenOverAfterItsLeaseWasLostCannotOverwriteTheNewerValue() throws Exception {
    List<LayerCache<String, String>> caches = instances("fencing", 2, config(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    CountDownLatch finishFirst = new CountDownLatch(1);
    CompletableFuture<String> first = blockedLoad(caches.get(0), "k", "late value", finishFirst);

    // The first holder's lease is lost (as if it had been paused past the lease); the second
    // instance takes the load over and is still loading when the first one tries to store.
    assertThat(redis.command("DEL", "lc:fencing:l:{sk}")).isEqualTo(1L);
    CountDownLatch finishSecond = new CountDownLatch(1);
    CompletableFuture<String> second = blockedLoad(caches.get(1), "k", "newer value", finishSecond);
    finishFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("late value");
    assertThat(bottom(caches.get(0)).detail("fenced-writes")).isEqualTo(1);
    assertThat(redis.command("EXISTS", "lc:fencing:e:{sk}")).as("the late value was not stored").isEqualTo(0L);
    finishSecond.countDown();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("newer value");
    LayerCache<String, String> fresh = layered(instance().createCache("fencing", config(Duration.ofSeconds(5), Duration.ofSeconds(5))));
    assertThat(fresh.asJCache().get("k")).isEqualTo("newer value");
  }

  @Test
  void aWaiterLoadsItselfWhenTheHolderOutlastsTheWait() throws Exception {
    List<LayerCache<String, String>> caches = instances("slow-holder", 2, config(Duration.ofSeconds(5), Duration.ofMillis(200)));
    CountDownLatch finishHolder = new CountDownLatch(1);
    CompletableFuture<String> holder = blockedLoad(caches.get(0), "k", "holder value", finishHolder);

    assertThat(caches.get(1).get("k", k -> "own value")).isEqualTo("own value");
    assertThat(caches.get(1).loadStatistics().leaseWaitTimeouts()).isEqualTo(1);
    finishHolder.countDown();
    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("holder value");
    // The holder's store found a live value written meanwhile and kept it.
    assertThat(caches.get(1).asJCache().get("k")).isEqualTo("own value");
  }

  @Test
  void withRedisDownGracefulModeLoadsLocallyAndStrictModeFails() {
    LayerCacheConfiguration<String, String> graceful = config(Duration.ofSeconds(5), Duration.ofSeconds(5));
    graceful.setLayers(graceful.getLayers().get(0), RedisLayerSpec.of(
        RedisConnection.Addresses.standalone(redis.uri()).withCommandTimeout(Duration.ofMillis(200)))
        .withCodec(io.layercache.codec.CodecSettings.defaults().withAllowedClassPrefixes("io.layercache.redis.")));
    LayerCacheConfiguration<String, String> strict = new LayerCacheConfiguration<>(graceful);
    graceful.setResilience(ResilienceSettings.defaults().withMode(DegradationMode.GRACEFUL));
    strict.setResilience(ResilienceSettings.defaults().withMode(DegradationMode.STRICT));
    LayerCache<String, String> gracefulCache = layered(instance().createCache("down-graceful", graceful));
    LayerCache<String, String> strictCache = layered(instance().createCache("down-strict", strict));

    redis.kill();

    assertThat(gracefulCache.get("k", k -> "local load")).isEqualTo("local load");
    assertThatThrownBy(() -> strictCache.get("k", k -> "never stored")).isInstanceOf(CacheException.class)
        .hasMessageContaining("Redis");
  }

  /**
   * Starts {@code cache.get(key)} on the pool with a loader that blocks until {@code finish} is
   * released, then returns {@code value}; returns once the loader runs.
   */
  private CompletableFuture<String> blockedLoad(LayerCache<String, String> cache, String key, String value,
      CountDownLatch finish) throws InterruptedException {
    CountDownLatch loading = new CountDownLatch(1);
    CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> cache.get(key, k -> {
      loading.countDown();
      await(finish);
      return value;
    }), pool);
    assertThat(loading.await(5, TimeUnit.SECONDS)).as("the loader of %s started", key).isTrue();
    return result;
  }

  /** Runs {@code call} on {@code perInstance} threads of every instance, all released at once; their results. */
  private List<String> concurrently(List<LayerCache<String, String>> caches, int perInstance,
      java.util.function.Function<LayerCache<String, String>, String> call) throws Exception {
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
      values.add(result.get(10, TimeUnit.SECONDS));
    }
    return values;
  }

  private static LayerStatistics bottom(LayerCache<String, String> cache) {
    List<LayerStatistics> layers = cache.layerStatistics();
    return layers.get(layers.size() - 1);
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
