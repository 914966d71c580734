package io.layercache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.layercache.LayerCacheConfiguration;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import org.cache2k.Cache2kBuilder;
import org.cache2k.jcache.ExtendedMutableConfiguration;
import org.cache2k.jcache.JCacheConfig;
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
 * A cache hit: {@code get} on a cache pre-populated with {@code keySpace} keys. All implementations
 * run in the same JMH invocation, so the numbers can be read as ratios (see {@link RunHitBenchmark},
 * which prints the ratio table).
 *
 * <ul>
 *   <li>{@code impl}: raw-caffeine ({@code com.github.benmanes.caffeine.cache.Cache#getIfPresent}
 *       on an unbounded {@code Caffeine.newBuilder().build()}, the floor and ratio baseline),
 *       raw-caffeine-bounded (the same with {@code maximumSize(keySpace)}: the structure of
 *       LayerCache's memory layer), caffeine-jcache, cache2k-jcache, ehcache-jcache, layercache
 *       (all through {@link javax.cache.Cache#get}). Not in the default list:
 *       raw-caffeine-bounded-inline, raw-caffeine-bounded whose maintenance runs on the calling
 *       thread ({@code executor(Runnable::run)}) instead of ForkJoinPool.commonPool.
 *   <li>{@code storeByValue}: JCache store-by-value (copy on the way in and out) or by reference.
 *       Raw Caffeine has no by-value mode: for it {@code true} is the same by-reference run as
 *       {@code false} (the setup says so in the output).
 *   <li>{@code valueType}: an immutable {@code String} or a ~100-byte serializable {@link BenchValue}.
 *   <li>{@code keySpace}: number of keys (a power of two). Every cache is sized to hold all of
 *       them (see {@link #setUp}): 1024 keys fit in the CPU caches, 1,048,576 keys (~100-300 MB
 *       of entries) do not, so each get pays main-memory misses, as in a real application cache.
 *   <li>{@code distribution}: the order the keys are read in. {@code uniform}: a random
 *       permutation of all keys (each key once per pass, no locality). {@code zipf}: a scrambled
 *       Zipf (theta 0.99) sequence of the same length, as in Caffeine's own GetPutBenchmark: a few
 *       hot keys, spread over the table. The lookup keys are distinct {@code Integer} instances
 *       from the stored ones (as in an application, where the caller's key is not the cached
 *       instance), allocated in reading order.
 * </ul>
 *
 * <p>{@link #hit_t1} and {@link #hit_t2} are the same operation with 1 and 2 threads sharing the
 * cache, so one command measures both (a {@code -t} on the command line would override both).
 * Each fork gets a 4 GB heap: 1M by-value POJO entries need it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetHitBenchmark {

  /**
   * System property (of the fork: {@code -jvmArgsAppend -D...}): the size bound of the bounded
   * caches as a multiple of keySpace, default 1 (cache2k gets twice this bound).
   */
  public static final String BOUND_FACTOR_PROPERTY = "layercache.bench.boundFactor";

  @Param({
    Impls.RAW_CAFFEINE,
    Impls.RAW_CAFFEINE_BOUNDED,
    Impls.CAFFEINE_JCACHE,
    Impls.CAFFEINE_JCACHE_BOUNDED,
    Impls.CACHE2K_JCACHE,
    Impls.EHCACHE_JCACHE,
    Impls.LAYERCACHE,
    Impls.LAYERCACHE_UNBOUNDED
  })
  public String impl;

  @Param({"false", "true"})
  public boolean storeByValue;

  @Param({"string", "pojo"})
  public String valueType;

  @Param({"1024", "1048576"})
  public int keySpace;

  @Param({"uniform"})
  public String distribution;

  /** The reading order: lookup keys (distinct instances from the stored keys), length keySpace. */
  private Integer[] sequence;

  private int mask;
  private Target target;

  /** What one benchmark run reads from; exactly one implementation is loaded per fork. */
  interface Target {
    Object get(Integer key);

    void put(Integer key, Object value);

    void close();
  }

  static final class RawCaffeineTarget implements Target {
    private final com.github.benmanes.caffeine.cache.Cache<Integer, Object> cache;

    RawCaffeineTarget(long maximumSize, boolean inlineMaintenance) {
      Caffeine<Object, Object> builder = Caffeine.newBuilder();
      if (maximumSize >= 0) {
        builder.maximumSize(maximumSize);
      }
      if (inlineMaintenance) {
        builder.executor(Runnable::run);
      }
      cache = builder.build();
    }

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

    JCacheTarget(String impl, CompleteConfiguration<Integer, Object> config) {
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

  /**
   * The configuration of a JCache impl that holds all {@code bound} keys. LayerCache's memory layer
   * (default 10,000 entries) is given {@code maximumSize(bound)}, like raw-caffeine-bounded.
   * cache2k (default {@code entryCapacity} 1802) gets {@code 2 * bound}: its eviction is segmented
   * and starts a little before the nominal capacity (at capacity = 1,048,576 it evicted 5 of
   * 1,048,576 keys), and the capacity does not change its hit path.
   * Caffeine's JCache provider (no {@code maximumSize} by default) and
   * Ehcache's (it builds its caches with {@code heap(Long.MAX_VALUE)} entries) are unbounded
   * out of the box and left so: a plain {@code MutableConfiguration}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static CompleteConfiguration<Integer, Object> configuration(
      String impl, boolean storeByValue, Class<?> valueClass, long bound) {
    Class<Object> vc = (Class<Object>) valueClass;
    switch (impl) {
      case Impls.LAYERCACHE:
      case Impls.LAYERCACHE_UNBOUNDED:
        return new LayerCacheConfiguration<Integer, Object>()
            .setTypes(Integer.class, vc)
            .setStoreByValue(storeByValue)
            .setStatisticsEnabled(false)
            .setManagementEnabled(false)
            .setLayers(Impls.LAYERCACHE.equals(impl) ? MemoryLayerSpec.ofMaximumSize(bound) : MemoryLayerSpec.unbounded());
      case Impls.CAFFEINE_JCACHE:
      case Impls.EHCACHE_JCACHE:
        return plain(storeByValue, vc);
      case Impls.CAFFEINE_JCACHE_BOUNDED:
        return caffeineBounded(storeByValue, vc, bound);
      case Impls.CACHE2K_JCACHE:
        return cache2k(storeByValue, vc, bound);
      default:
        throw new IllegalArgumentException("not a JCache impl: " + impl);
    }
  }

  /** Caffeine's own configuration type: a plain MutableConfiguration cannot bound it. */
  private static CompleteConfiguration<Integer, Object> caffeineBounded(boolean storeByValue, Class<Object> vc,
      long bound) {
    com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration<Integer, Object> c =
        new com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration<>();
    c.setTypes(Integer.class, vc);
    c.setStoreByValue(storeByValue);
    c.setMaximumSize(java.util.OptionalLong.of(bound));
    return c;
  }

  /**
   * Passing a cache2k configuration switches cache2k's JCache layer from its "JCache defaults" to
   * its "cache2k defaults" (no copying even when storeByValue is set). The JCacheConfig section
   * restores the JCache defaults, so only the capacity differs from a plain MutableConfiguration.
   */
  private static CompleteConfiguration<Integer, Object> cache2k(boolean storeByValue, Class<Object> vc, long bound) {
    Cache2kBuilder<Integer, Object> b = Cache2kBuilder.of(Integer.class, vc).entryCapacity(2 * bound)
        .with(JCacheConfig.class, s -> s.copyAlwaysIfRequested(true).supportOnlineListenerAttachment(true));
    ExtendedMutableConfiguration<Integer, Object> c = ExtendedMutableConfiguration.of(b);
    c.setTypes(Integer.class, vc);
    c.setStoreByValue(storeByValue);
    c.setStatisticsEnabled(false);
    c.setManagementEnabled(false);
    return c;
  }

  private static MutableConfiguration<Integer, Object> plain(
      boolean storeByValue, Class<Object> valueClass) {
    return new MutableConfiguration<Integer, Object>()
        .setTypes(Integer.class, valueClass)
        .setStoreByValue(storeByValue)
        .setStatisticsEnabled(false)
        .setManagementEnabled(false);
  }

  private static Object value(String valueType, int i) {
    return "string".equals(valueType) ? "value-" + i : BenchValue.of(i);
  }

  @Setup(Level.Trial)
  public void setUp() {
    if (keySpace <= 0 || Integer.bitCount(keySpace) != 1) {
      throw new IllegalArgumentException("keySpace must be a power of two: " + keySpace);
    }
    mask = keySpace - 1;
    double boundFactor = Double.parseDouble(System.getProperty(BOUND_FACTOR_PROPERTY, "1"));
    if (!(boundFactor >= 1)) {
      throw new IllegalArgumentException(BOUND_FACTOR_PROPERTY + " must be >= 1: " + boundFactor);
    }
    long bound = (long) Math.ceil(keySpace * boundFactor);
    target = target(bound);
    boolean sameInstance = fillAndVerify();
    sequence = ReadOrder.sequence(distribution, keySpace, new SplittableRandom(42));
    String note = impl.startsWith(Impls.RAW_CAFFEINE) && storeByValue
        ? " -- NOTE raw Caffeine has no store-by-value mode: this storeByValue=true run is"
            + " by reference, identical to storeByValue=false"
        : "";
    System.out.println("[get-hit] impl=" + impl + " storeByValue=" + storeByValue + " valueType=" + valueType
        + " keySpace=" + keySpace + " distribution=" + distribution + " bound=" + bound + ": " + keySpace
        + " keys verified, get returns " + (sameInstance ? "the stored instance" : "copies") + note);
  }

  /** The cache under test, bounded at {@code bound} where the implementation is bounded. */
  private Target target(long bound) {
    Class<?> valueClass = switch (valueType) {
      case "string" -> String.class;
      case "pojo" -> BenchValue.class;
      default -> throw new IllegalArgumentException("valueType must be string or pojo: " + valueType);
    };
    if (Impls.RAW_CAFFEINE.equals(impl)) {
      return new RawCaffeineTarget(-1, false);
    } else if (Impls.RAW_CAFFEINE_BOUNDED.equals(impl)) {
      return new RawCaffeineTarget(bound, false);
    } else if (Impls.RAW_CAFFEINE_BOUNDED_INLINE.equals(impl)) {
      return new RawCaffeineTarget(bound, true);
    }
    return new JCacheTarget(impl, configuration(impl, storeByValue, valueClass, bound));
  }

  /**
   * Stores keys 0..keySpace-1 in order, then checks every one is a hit with the right value.
   *
   * @return true when every get returned the very instance stored (no copy)
   */
  private boolean fillAndVerify() {
    Object[] values = new Object[keySpace];
    for (int i = 0; i < keySpace; i++) {
      values[i] = value(valueType, i);
      target.put(Integer.valueOf(i), values[i]);
    }
    boolean sameInstance = true;
    for (int i = 0; i < keySpace; i++) {
      Object v = target.get(Integer.valueOf(i));
      if (v == null) {
        throw new IllegalStateException(impl + ": miss for pre-populated key " + i);
      }
      if (!values[i].equals(v)) {
        throw new IllegalStateException(impl + ": wrong value for key " + i + ": " + v);
      }
      sameInstance &= v == values[i];
    }
    return sameInstance;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (target == null) {
      return;
    }
    // nothing may have been evicted during the measurement: re-check a sample of keys
    Random random = new Random(7);
    int checks = Math.min(keySpace, 4096);
    for (int c = 0; c < checks; c++) {
      int k = keySpace <= 4096 ? c : random.nextInt(keySpace);
      if (target.get(Integer.valueOf(k)) == null) {
        System.out.println("[get-hit] WARNING " + impl + ": key " + k + " missing after the run");
        break;
      }
    }
    target.close();
    target = null;
    sequence = null;
  }

  /** Per-thread position in the reading order; threads start at different random offsets. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    @Setup(Level.Trial)
    public void setUp() {
      index = ThreadLocalRandom.current().nextInt(1 << 30);
    }
  }

  @Benchmark
  @Threads(1)
  public Object hit_t1(Cursor cursor) {
    return target.get(sequence[cursor.index++ & mask]);
  }

  @Benchmark
  @Threads(2)
  public Object hit_t2(Cursor cursor) {
    return target.get(sequence[cursor.index++ & mask]);
  }
}
