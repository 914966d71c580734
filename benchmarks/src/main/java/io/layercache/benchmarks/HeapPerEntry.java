package io.layercache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;

/**
 * Heap a cache spends per entry, keys and values excluded: one implementation per JVM run, 1M
 * Integer keys and String values created (and kept) before the first heap reading, then put, then the
 * heap read again after full collections. Store-by-reference, eternal, statistics off; bounded
 * caches are given room for every entry.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.HeapPerEntry layercache [entries]</pre>
 */
public final class HeapPerEntry {

  private HeapPerEntry() {}

  public static void main(String[] args) throws Exception {
    String impl = args[0];
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 1_048_576;
    Integer[] keys = new Integer[entries];
    String[] values = new String[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = Integer.valueOf(i + 1_000);
      values[i] = "value-" + i;
    }
    Object cache = create(impl, entries);
    long before = usedAfterGc();
    for (int i = 0; i < entries; i++) {
      put(cache, keys[i], values[i]);
    }
    long after = usedAfterGc();
    for (int i = 0; i < entries; i += entries / 16) {
      if (!values[i].equals(get(cache, keys[i]))) {
        throw new IllegalStateException(impl + " lost key " + keys[i]);
      }
    }
    System.out.printf("[heap-per-entry] impl=%s entries=%d bytes/entry=%.1f%n", impl, entries,
        (after - before) / (double) entries);
    if (cache instanceof Cache<?, ?> jcache) {
      Impls.closeQuietly(jcache);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object create(String impl, int entries) {
    if (Impls.RAW_CAFFEINE_BOUNDED.equals(impl)) {
      return com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(entries).build();
    }
    CompleteConfiguration<Integer, Object> config = GetHitBenchmark.configuration(impl, false, String.class, entries);
    Object raw = Impls.createCache(impl, "heap-" + impl, (CompleteConfiguration) config);
    return raw;
  }

  @SuppressWarnings("unchecked")
  private static void put(Object cache, Integer key, String value) {
    if (cache instanceof Cache<?, ?> jcache) {
      ((Cache<Integer, String>) jcache).put(key, value);
    } else {
      ((com.github.benmanes.caffeine.cache.Cache<Integer, String>) cache).put(key, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object get(Object cache, Integer key) {
    if (cache instanceof Cache<?, ?> jcache) {
      return ((Cache<Integer, String>) jcache).get(key);
    }
    return ((com.github.benmanes.caffeine.cache.Cache<Integer, String>) cache).getIfPresent(key);
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // let the collector finish; this reads a quantity, it waits for no condition
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
