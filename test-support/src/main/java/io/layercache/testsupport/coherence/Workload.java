package io.layercache.testsupport.coherence;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The mixed workload every instance of a coherence run runs, paced so that the instances, Redis
 * and the bus share the machine rather than starve each other (an unpaced loop on a small
 * machine measures CPU starvation, not the bus).
 *
 * <p>Key {@code k<i>} is owned by instance {@code i % instances}: only it writes, loads or removes
 * the key, so its versions are totally ordered. Every write carries the tag {@code t<i % tags>};
 * any instance may invalidate any tag. Every instance reads every key. Percentages of the
 * operations: {@code write} ({@code set} with the tag), {@code load} (a removal, then the new
 * version through the loader: the bus primes or invalidates), {@code remove} (JCache {@code remove}),
 * {@code tag} ({@code invalidateByTag}); the rest are reads. Changes and reads run on two threads
 * of each instance, so reads go on while a change waits for Redis.
 *
 * @param keys     how many keys
 * @param tags     how many tags
 * @param rate     operations per second per instance
 * @param duration how long the workload runs
 * @param seed     the random seed (each instance adds its index)
 * @param write    percent of operations that are writes
 * @param load     percent that are writes through the loader
 * @param remove   percent that are removals
 * @param tag      percent that are tag invalidations
 */
public record Workload(int keys, int tags, int rate, Duration duration, long seed, int write, int load, int remove,
    int tag) {

  /** Checks the workload. */
  public Workload {
    if (keys < 1 || tags < 1 || rate < 1 || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("keys, tags, rate and duration must be positive");
    }
    if (write < 0 || load < 0 || remove < 0 || tag < 0 || write + load + remove + tag > 100) {
      throw new IllegalArgumentException("the percentages of changes must be >= 0 and add up to at most 100");
    }
  }

  /**
   * 100 keys, 10 tags, 1,000 operations a second per instance for {@code duration}: 10 % writes,
   * 2 % writes through the loader, 3 % removals, 1 % tag invalidations, 84 % reads.
   */
  public static Workload defaults(Duration duration) {
    return new Workload(100, 10, 1_000, duration, 1, 10, 2, 3, 1);
  }

  /** This workload with another mix of changes (percentages). */
  public Workload withMix(int newWrite, int newLoad, int newRemove, int newTag) {
    return new Workload(keys, tags, rate, duration, seed, newWrite, newLoad, newRemove, newTag);
  }

  /** This workload with {@code newKeys} keys and {@code newRate} operations a second per instance. */
  public Workload withSize(int newKeys, int newRate) {
    return new Workload(newKeys, tags, newRate, duration, seed, write, load, remove, tag);
  }

  /** One argument for a worker's command line: {@code keys=100,tags=10,...}. */
  public String toArgument() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("keys", keys);
    fields.put("tags", tags);
    fields.put("rate", rate);
    fields.put("millis", duration.toMillis());
    fields.put("seed", seed);
    fields.put("write", write);
    fields.put("load", load);
    fields.put("remove", remove);
    fields.put("tag", tag);
    return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** The workload of {@link #toArgument()}. */
  public static Workload parse(String argument) {
    Map<String, Long> fields = new LinkedHashMap<>();
    for (String field : argument.split(",")) {
      String[] pair = field.split("=", 2);
      if (pair.length != 2) {
        throw new IllegalArgumentException("not name=value: " + field);
      }
      fields.put(pair[0].trim().toLowerCase(Locale.ROOT), Long.parseLong(pair[1].trim()));
    }
    Workload d = defaults(Duration.ofSeconds(10));
    return new Workload(get(fields, "keys", d.keys), get(fields, "tags", d.tags), get(fields, "rate", d.rate),
        Duration.ofMillis(fields.getOrDefault("millis", d.duration.toMillis())), fields.getOrDefault("seed", d.seed),
        get(fields, "write", d.write), get(fields, "load", d.load), get(fields, "remove", d.remove),
        get(fields, "tag", d.tag));
  }

  private static int get(Map<String, Long> fields, String name, int fallback) {
    return Math.toIntExact(fields.getOrDefault(name, (long) fallback));
  }

  /** The key of index {@code i}. */
  static String key(int i) {
    return "k" + i;
  }

  /** The tag every write of key index {@code i} carries. */
  String tagOf(int i) {
    return "t" + (i % tags);
  }
}
