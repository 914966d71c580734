package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.DegradationMode;
import io.layercache.LayerCacheConfiguration;
import io.layercache.ResilienceSettings;
import io.layercache.TimeSource;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFailureException;
import io.layercache.layer.SharedResources;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.layercache.testsupport.RespClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walks over a cache's keys ({@code clear()}, iteration, {@code removeAll()}, the layer's
 * {@code estimatedSize()}) are bounded like every other Redis call, against a real redis-server:
 * frozen with SIGSTOP, each fails within one call bound; kept answering slowly (a loop of
 * {@code DEBUG SLEEP}, so every SCAN page is slow but none times out), a whole walk ends at
 * {@code redis.scan-timeout}. Either way the exception names the cache, the layer and the walk.
 */
@Tag("fault")
@ExtendWith(RedisServerExtension.class)
class RedisScanBoundIT extends RedisStackFixture {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);
  /** The layer's bound on one Redis call: timeout × (retries + 1) + 100 ms. */
  private static final Duration CALL_BOUND = Duration.ofMillis(200 * 2 + 100);
  /** Room for scheduling on a loaded 2-core machine. */
  private static final Duration MARGIN = Duration.ofMillis(700);

  private final RedisServer redis;
  private final AtomicBoolean stalling = new AtomicBoolean();
  private Thread staller;

  RedisScanBoundIT(RedisServer redis) {
    this.redis = redis;
  }

  @AfterEach
  void healRedis() throws InterruptedException {
    stalling.set(false);
    if (staller != null) {
      staller.join(5_000);
    }
    redis.resume();
  }

  private Cache<String, String> strictCache(String name, RedisLayerSpec layer) {
    LayerCacheConfiguration<String, String> config = memoryAndRedis(layer);
    // a breaker that stays closed, so every walk below really goes to Redis
    config.setResilience(ResilienceSettings.defaults().withMode(DegradationMode.STRICT)
        .withCircuitBreaker(1_000, Duration.ofSeconds(1)));
    return instance().createCache(name, config);
  }

  private static RedisLayerSpec layerWith(RedisServer redis, Duration commandTimeout) {
    return RedisLayerSpec.of(RedisConnection.Addresses.standalone(redis.uri()).withCommandTimeout(commandTimeout));
  }

  @Test
  void everyWalkFindsEveryKeyOfTheCacheAmongManyOtherKeys() {
    // 20,000 other keys first: most SCAN pages then hold no key of the cache
    redis.command("DEBUG", "POPULATE", "20000", "filler");
    Cache<String, String> cache = strictCache("scan-sparse", layerWith(redis, COMMAND_TIMEOUT));
    java.util.Set<String> written = java.util.Set.of("a", "b", "x".repeat(2_000));
    for (String key : written) {
      cache.put(key, "v");
    }
    // a second instance, whose memory layer is empty: its answers come from Redis alone
    Cache<String, String> other = strictCache("scan-sparse", layerWith(redis, COMMAND_TIMEOUT));
    java.util.Set<String> iterated = new java.util.HashSet<>();
    other.forEach(entry -> iterated.add(entry.getKey()));
    assertThat(iterated).isEqualTo(written);

    other.removeAll();
    assertThat((java.util.List<?>) redis.command("KEYS", "lc:scan-sparse:*")).isEmpty();

    for (String key : written) {
      cache.put(key, "v");
    }
    other.clear();
    assertThat((java.util.List<?>) redis.command("KEYS", "lc:scan-sparse:*")).isEmpty();
    assertThat((Long) redis.command("DBSIZE") - (Long) redis.command("EXISTS", "lc:lease-notice-key")).isEqualTo(20_000L);
  }

  @Test
  void onAFrozenRedisEveryWalkFailsWithinOneCallBoundNamingTheCacheAndLayer() {
    Cache<String, String> cache = strictCache("scan-frozen", layerWith(redis, COMMAND_TIMEOUT));
    for (int i = 0; i < 20; i++) {
      cache.put("k" + i, "v" + i);
    }

    redis.pause();

    assertFailsWithin(CALL_BOUND.plus(MARGIN), cache::clear, "scan-frozen", "layer redis", "SCAN", "clear");
    assertFailsWithin(CALL_BOUND.plus(MARGIN), cache::iterator, "scan-frozen", "layer redis", "SCAN", "iteration");
    assertFailsWithin(CALL_BOUND.plus(MARGIN), cache::removeAll, "scan-frozen", "layer redis", "SCAN", "iteration");

    redis.resume();
    cache.clear();
    assertThat(cache.iterator().hasNext()).as("the layer works again once Redis answers").isFalse();
  }

  @Test
  void onASlowRedisAWholeClearEndsAtTheScanTimeout() {
    Duration scanTimeout = Duration.ofSeconds(1);
    // each page may take up to the 2.1 s call bound: only the scan timeout can end the walk early
    Duration commandTimeout = Duration.ofSeconds(1);
    Duration callBound = Duration.ofMillis(1_000 * 2 + 100);
    Cache<String, String> cache = strictCache("scan-slow",
        layerWith(redis, commandTimeout).withScanTimeout(scanTimeout));
    cache.put("k", "v");
    // 20,000 other keys: SCAN walks the whole database, about 40 pages of COUNT 500
    redis.command("DEBUG", "POPULATE", "20000", "filler");

    stallContinuously(Duration.ofMillis(250));

    long start = System.nanoTime();
    assertThatThrownBy(cache::clear).isInstanceOf(CacheException.class)
        .hasMessageContaining("scan-slow").hasMessageContaining("layer redis").hasMessageContaining("clear")
        .hasMessageContaining("redis.scan-timeout (1000 ms)");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // unbounded, the walk takes about 40 pages × 250 ms = 10 s
    assertThat(took).isGreaterThanOrEqualTo(scanTimeout.minusMillis(50)).isLessThan(scanTimeout.plus(callBound));
  }

  @Test
  void onASlowRedisTheLayersSizeCountEndsAtTheScanTimeout() throws Exception {
    Duration scanTimeout = Duration.ofSeconds(1);
    RedisLayerSpec spec = layerWith(redis, Duration.ofSeconds(1)).withScanTimeout(scanTimeout);
    try (SharedResources shared = new SharedResources()) {
      Layer<String, String> layer = new RedisLayerFactory().create(spec, new LayerContext<String, String>("scan-size",
          getClass().getClassLoader(), TimeSource.SYSTEM, (l, key, entry, expired) -> { }, false, shared,
          String.class, 0));
      redis.command("DEBUG", "POPULATE", "20000", "filler");
      assertThat(layer.estimatedSize()).as("an empty cache among 20,000 other keys").isZero();

      stallContinuously(Duration.ofMillis(250));

      long start = System.nanoTime();
      assertThatThrownBy(layer::estimatedSize).isInstanceOf(LayerFailureException.class)
          .hasMessageContaining("scan-size").hasMessageContaining("layer redis").hasMessageContaining("size")
          .hasMessageContaining("redis.scan-timeout (1000 ms)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(scanTimeout.plusMillis(2_100));
    }
  }

  /**
   * Keeps the server sleeping in {@code DEBUG SLEEP} of {@code each}, back to back, until the test
   * ends (at most 60 rounds): every other client's command waits up to {@code each}.
   */
  private void stallContinuously(Duration each) {
    stalling.set(true);
    String seconds = String.valueOf(each.toMillis() / 1000.0);
    staller = new Thread(() -> {
      // one connection for every round, so the server is never left free for a reconnect
      try (RespClient client = new RespClient("127.0.0.1", redis.port(), 5_000)) {
        for (int round = 0; round < 60 && stalling.get(); round++) {
          client.call("DEBUG", "SLEEP", seconds);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "redis-staller");
    staller.setDaemon(true);
    staller.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !pingsWithin(Duration.ofMillis(100)));
  }

  /** True when Redis answers a PING within {@code timeout}. */
  private boolean pingsWithin(Duration timeout) {
    try {
      redis.command(timeout, "PING");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void assertFailsWithin(Duration bound, ThrowingCallable walk, String... messageParts) {
    long start = System.nanoTime();
    var thrown = assertThatThrownBy(walk).isInstanceOf(CacheException.class);
    for (String part : messageParts) {
      thrown.hasMessageContaining(part);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
  }
}
