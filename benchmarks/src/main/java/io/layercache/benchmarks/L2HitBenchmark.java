package io.layercache.benchmarks;

import io.layercache.LayerCacheConfiguration;
import io.layercache.codec.CodecSettings;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import java.net.URI;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * An L2 (Redis) hit, one thread, loopback: LayerCache with only its Redis layer (a cold memory
 * layer is skipped by definition), a raw Redisson {@code RBucket} GET of bytes of the same size,
 * and Redisson's own JCache {@code get}, side by side in one run. Each run starts its own
 * redis-server on a free loopback port.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class L2HitBenchmark {

  private static final int KEYS = 64;

  @Param({"layercache-l2", "redisson-bucket", "redisson-jcache"})
  public String impl;

  @Param({"100", "1024", "102400"})
  public int valueBytes;

  private RedisServer server;
  private RedissonClient redisson;
  private CacheManager manager;
  private Cache<String, byte[]> jcache;
  private RBucket<byte[]>[] buckets;
  private String[] keys;
  private int next;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws Exception {
    server = RedisServer.start();
    byte[] value = new byte[valueBytes];
    new Random(valueBytes).nextBytes(value);
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key-" + i;
    }
    switch (impl) {
      case "layercache-l2" -> fill(layerCacheL2(), value);
      case "redisson-bucket" -> redissonBuckets(value);
      case "redisson-jcache" -> fill(redissonJCache(), value);
      default -> throw new IllegalArgumentException(impl);
    }
  }

  /** A LayerCache cache whose only layer is Redis: every hit is an L2 hit. */
  private Cache<String, byte[]> layerCacheL2() {
    manager = Caching.getCachingProvider(Impls.LAYERCACHE_PROVIDER)
        .getCacheManager(URI.create("bench:l2"), getClass().getClassLoader());
    return manager.createCache("l2", new LayerCacheConfiguration<String, byte[]>()
        .setTypes(String.class, byte[].class).setStoreByValue(false)
        .setLayers(RedisLayerSpec.of(server.uri()).withCodec(CodecSettings.defaults().withMaxValueBytes(1 << 20))));
  }

  /** Redisson's own JCache provider on the same server. */
  private Cache<String, byte[]> redissonJCache() {
    Config config = new Config();
    config.useSingleServer().setAddress(server.uri());
    manager = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider").getCacheManager();
    return manager.createCache("l2-" + valueBytes, org.redisson.jcache.configuration.RedissonConfiguration.fromConfig(
        config, new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class).setStoreByValue(false)));
  }

  private void fill(Cache<String, byte[]> cache, byte[] value) {
    jcache = cache;
    for (String key : keys) {
      jcache.put(key, value);
    }
  }

  /** The floor: one Redisson bucket (a plain GET) per key, byte arrays as they are. */
  @SuppressWarnings("unchecked")
  private void redissonBuckets(byte[] value) {
    Config config = new Config();
    config.useSingleServer().setAddress(server.uri());
    redisson = Redisson.create(config);
    buckets = new RBucket[KEYS];
    for (int i = 0; i < KEYS; i++) {
      buckets[i] = redisson.getBucket(keys[i], ByteArrayCodec.INSTANCE);
      buckets[i].set(value);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (jcache != null && "redisson-jcache".equals(impl)) {
      manager.destroyCache(jcache.getName());
    } else if (manager != null) {
      manager.close();
    }
    if (redisson != null) {
      redisson.shutdown();
    }
    server.close();
  }

  @Benchmark
  public byte[] hit() {
    int i = next++ & (KEYS - 1);
    return buckets != null ? buckets[i].get() : jcache.get(keys[i]);
  }
}
