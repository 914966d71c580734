package io.layercache.benchmarks.http;

import java.util.HashMap;
import java.util.Map;

/**
 * The service's settings, from {@code --name=value} arguments; each is checked here, and a bad
 * one fails at startup with its name.
 *
 * @param redis the Redis URI of the layered endpoints
 * @param port the HTTP port (0: any free port, printed at startup)
 * @param keys the key space of /layered, /memory and /nocache
 * @param valueBytes the size of their values
 * @param originMillis the origin's delay per fetch
 * @param originConcurrency how many fetches the origin serves at once
 * @param pooledOriginConcurrency the same for {@code /nocache-pooled}'s origin
 * @param threads the HTTP server's worker threads
 * @param pressureKeys the key space of the memory-pressure endpoints
 * @param pressureValueBytes the size of their values
 * @param pressureMemoryEntries the memory layer's maximum size on the memory-pressure endpoints
 */
record HttpBenchmarkSettings(String redis, int port, int keys, int valueBytes, long originMillis, int originConcurrency, int pooledOriginConcurrency, int threads,
    int pressureKeys, int pressureValueBytes, int pressureMemoryEntries) {

  HttpBenchmarkSettings {
    if (redis == null || !(redis.startsWith("redis://") || redis.startsWith("rediss://"))) {
      throw new IllegalArgumentException("--redis must be a redis:// URI, got " + redis);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    positive("keys", keys);
    positive("value-bytes", valueBytes);
    positive("origin-concurrency", originConcurrency);
    positive("pooled-origin-concurrency", pooledOriginConcurrency);
    positive("threads", threads);
    positive("pressure-keys", pressureKeys);
    positive("pressure-value-bytes", pressureValueBytes);
    positive("pressure-memory-entries", pressureMemoryEntries);
  }

  /** Parses {@code --name=value} arguments over the defaults; {@code --redis} is required. */
  static HttpBenchmarkSettings parse(String... args) {
    Map<String, String> values = new HashMap<>(Map.of("port", "0", "keys", "1000", "value-bytes", "512",
        "origin-millis", "5", "origin-concurrency", "1", "pooled-origin-concurrency", "40", "threads", "64", "pressure-keys", "180", "pressure-value-bytes", "262144",
        "pressure-memory-entries", "25"));
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("arguments are --name=value, got " + arg);
      }
      String name = arg.substring(2, eq);
      if (!name.equals("redis") && !values.containsKey(name)) {
        throw new IllegalArgumentException("unknown setting --" + name + "; known: --redis, --" + String.join(", --", values.keySet()));
      }
      values.put(name, arg.substring(eq + 1));
    }
    return new HttpBenchmarkSettings(values.get("redis"), number(values, "port"), number(values, "keys"),
        number(values, "value-bytes"), number(values, "origin-millis"), number(values, "origin-concurrency"),
        number(values, "pooled-origin-concurrency"), number(values, "threads"),
        number(values, "pressure-keys"), number(values, "pressure-value-bytes"), number(values, "pressure-memory-entries"));
  }

  private static int number(Map<String, String> values, String name) {
    try {
      return Integer.parseInt(values.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, got " + values.get(name), e);
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive");
    }
  }
}
