package io.layercache.benchmarks;

/**
 * One implementation under the stampede test: a cache that, on a miss of a key, runs the shared
 * counting loader for it ({@link StampedeBenchmark#load}).
 */
interface StampedeTarget extends AutoCloseable {
  /** Removes the key, so the next reads miss (simulates expiry). */
  void invalidate(String key);

  /** Reads the key, loading it through {@link StampedeBenchmark#load} on a miss. */
  String get(String key) throws Exception;

  @Override
  void close();
}
