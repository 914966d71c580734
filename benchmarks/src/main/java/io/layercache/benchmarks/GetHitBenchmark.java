package io.layercache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache hit: {@code get} on a pre-populated cache of {@value #SIZE} keys, each thread cycling
 * through the (pre-boxed) keys. All implementations run in the same JMH invocation, so the numbers
 * can be read as ratios (see {@link RunHitBenchmark}, which prints the ratio table).
 *
 * <ul>
 *   <li>{@code impl}: raw-caffeine ({@code com.github.benmanes.caffeine.cache.Cache#getIfPresent},
 *       the floor), caffeine-jcache, cache2k-jcache, ehcache-jcache, layercache (all through
 *       {@link javax.cache.Cache#get}).
 *   <li>{@code storeByValue}: JCache store-by-value (copy on the way in and out) or by reference.
 *       Raw Caffeine has no by-value mode: for it {@code true} is the same by-reference run as
 *       {@code false} (the setup says so in the output).
 *   <li>{@code valueType}: an immutable {@code String} or a ~100-byte serializable {@link BenchValue}.
 * </ul>
 *
 * <p>{@link #hit_t1} and {@link #hit_t2} are the same operation with 1 and 2 threads sharing the
 * cache, so one command measures both (a {@code -t} on the command line would override both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetHitBenchmark {

  public static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;

  @Param({
    Impls.RAW_CAFFEINE,
    Impls.CAFFEINE_JCACHE,
    Impls.CACHE2K_JCACHE,
    Impls.EHCACHE_JCACHE,
    Impls.LAYERCACHE
  })
  public String impl;

  @Param({"false", "true"})
  public boolean storeByValue;

  @Param({"string", "pojo"})
  public String valueType;

  private Integer[] keys;
  private Target target;

  /** What one benchmark run reads from; exactly one implementation is loaded per fork. */
  interface Target {
    Object get(Integer key);

    void put(Integer key, Object value);

    void close();
  }

  static final class RawCaffeineTarget implements Target {
    private final com.github.benmanes.caffeine.cache.Cache<Integer, Object> cache =
        Caffeine.newBuilder().build();

    @Override
    public Object get(Integer key) {
      return cache.getIfPresent(key);
    }

    @Override
    public void put(Integer key, Object value) {
      cache.put(key, value);
    }

    @Override
    public void close() {
      cache.invalidateAll();
    }
  }

  static final class JCacheTarget implements Target {
    private final Cache<Integer, Object> cache;

    @SuppressWarnings("unchecked")
    JCacheTarget(String impl, boolean storeByValue, Class<?> valueClass) {
      MutableConfiguration<Integer, Object> config =
          new MutableConfiguration<Integer, Object>()
              .setTypes(Integer.class, (Class<Object>) valueClass)
              .setStoreByValue(storeByValue)
              .setStatisticsEnabled(false)
              .setManagementEnabled(false);
      this.cache = Impls.createCache(impl, "get-hit-" + impl, config);
    }

    @Override
    public Object get(Integer key) {
      return cache.get(key);
    }

    @Override
    public void put(Integer key, Object value) {
      cache.put(key, value);
    }

    @Override
    public void close() {
      Impls.closeQuietly(cache);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Class<?> valueClass;
    switch (valueType) {
      case "string":
        valueClass = String.class;
        break;
      case "pojo":
        valueClass = BenchValue.class;
        break;
      default:
        throw new IllegalArgumentException("valueType must be string or pojo: " + valueType);
    }
    target =
        Impls.RAW_CAFFEINE.equals(impl)
            ? new RawCaffeineTarget()
            : new JCacheTarget(impl, storeByValue, valueClass);

    keys = new Integer[SIZE];
    Object[] values = new Object[SIZE];
    for (int i = 0; i < SIZE; i++) {
      keys[i] = i;
      values[i] = "string".equals(valueType) ? "value-" + i : BenchValue.of(i);
      target.put(keys[i], values[i]);
    }

    // every read must be a hit with the right value
    boolean sameInstance = true;
    for (int i = 0; i < SIZE; i++) {
      Object v = target.get(keys[i]);
      if (v == null) {
        throw new IllegalStateException(impl + ": miss for pre-populated key " + i);
      }
      if (!values[i].equals(v)) {
        throw new IllegalStateException(impl + ": wrong value for key " + i + ": " + v);
      }
      sameInstance &= v == values[i];
    }
    String note =
        Impls.RAW_CAFFEINE.equals(impl) && storeByValue
            ? " -- NOTE raw Caffeine has no store-by-value mode: this storeByValue=true run is"
                + " by reference, identical to storeByValue=false"
            : "";
    System.out.println(
        "[get-hit] impl="
            + impl
            + " storeByValue="
            + storeByValue
            + " valueType="
            + valueType
            + ": "
            + SIZE
            + " keys verified, get returns "
            + (sameInstance ? "the stored instance" : "copies")
            + note);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (target != null) {
      target.close();
    }
  }

  /** Per-thread position in the key ring; threads start at different random offsets. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    @Setup(Level.Trial)
    public void setUp() {
      index = ThreadLocalRandom.current().nextInt(SIZE);
    }
  }

  @Benchmark
  @Threads(1)
  public Object hit_t1(Cursor cursor) {
    return target.get(keys[cursor.index++ & MASK]);
  }

  @Benchmark
  @Threads(2)
  public Object hit_t2(Cursor cursor) {
    return target.get(keys[cursor.index++ & MASK]);
  }
}
