package io.layercache.benchmarks.http;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The slow backend behind every endpoint: each fetch takes {@code millis} (a sleep: this is the
 * simulated work of a database or a remote service, the workload itself) and is counted per
 * endpoint, so the benchmark can report how often each endpoint reached it. At most
 * {@code concurrency} fetches run at once (a backend with that many connections); the others
 * queue, first come first served.
 */
final class Origin {

  private final long millis;
  private final Semaphore connections;
  private final Map<String, LongAdder> fetches = new ConcurrentHashMap<>();

  Origin(long millis, int concurrency) {
    if (millis < 0) {
      throw new IllegalArgumentException("--origin-millis must be >= 0, got " + millis);
    }
    if (concurrency <= 0) {
      throw new IllegalArgumentException("--origin-concurrency must be positive, got " + concurrency);
    }
    this.millis = millis;
    this.connections = new Semaphore(concurrency, true);
  }

  /** The value of {@code key}, {@code bytes} long and the same on every fetch, after the origin's delay. */
  byte[] fetch(String endpoint, String key, int bytes) {
    fetches.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
    try {
      connections.acquire();
      try {
        Thread.sleep(millis);
      } finally {
        connections.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + key, e);
    }
    byte[] value = new byte[bytes];
    new SplittableRandom(key.hashCode()).nextBytes(value); // incompressible, like real payloads
    return value;
  }

  /** Fetches per endpoint since the start. */
  long fetches(String endpoint) {
    LongAdder count = fetches.get(endpoint);
    return count == null ? 0 : count.sum();
  }
}
