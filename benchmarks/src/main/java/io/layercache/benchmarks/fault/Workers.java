package io.layercache.benchmarks.fault;

import io.layercache.LayerCache;
import io.layercache.Loader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Worker threads that call a cache in a paced loop and record every call in an {@link OpLog}. */
final class Workers {
  private final Timeline timeline;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  Workers(Timeline timeline) {
    this.timeline = timeline;
  }

  /** The value every loader and writer of the report stores for {@code key}. */
  static String valueOf(String key) {
    return "val-" + key;
  }

  /** A loader that counts its calls in the phase they ran in, sleeps {@code millis}, and returns {@link #valueOf}. */
  static Loader<String, String> countingLoader(OpLog log, Timeline timeline, long millis) {
    return key -> {
      log.of(timeline.phase(System.nanoTime())).loaderCalls.incrementAndGet();
      Thread.sleep(millis); // simulated origin work
      return valueOf(key);
    };
  }

  /**
   * Starts a thread that, until {@link #stop()}, takes the next key (null ends the loop), calls
   * {@code cache.get(key, loader)}, records the call, then parks {@code pauseNanos}.
   */
  void start(String name, LayerCache<String, String> cache, OpLog log, Supplier<String> keys, long loaderMillis,
      long pauseNanos) {
    start(name, cache, null, log, keys, loaderMillis, pauseNanos);
  }

  /** As above; with a node, the events each call causes are traced and kept for the longest call. */
  void start(String name, LayerCache<String, String> cache, Node traced, OpLog log, Supplier<String> keys,
      long loaderMillis, long pauseNanos) {
    Loader<String, String> loader = countingLoader(log, timeline, loaderMillis);
    Thread t = new Thread(() -> {
      while (running) {
        String key = keys.get();
        if (key == null) {
          return;
        }
        long t0 = System.nanoTime();
        if (traced != null) {
          traced.startTrace(t0);
        }
        String value = null;
        Throwable error = null;
        try {
          value = cache.get(key, loader);
        } catch (Throwable e) {
          error = e;
        }
        long took = System.nanoTime() - t0;
        List<String> trace = traced == null ? List.of() : traced.endTrace();
        log.record(timeline.phase(t0), t0, took, error, error == null && !valueOf(key).equals(value), trace);
        if (pauseNanos > 0) {
          LockSupport.parkNanos(pauseNanos);
        }
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(30_000);
      if (t.isAlive()) {
        System.err.println("worker " + t.getName() + " still running after 30 s: " + List.of(t.getStackTrace()));
      }
    }
  }
}
