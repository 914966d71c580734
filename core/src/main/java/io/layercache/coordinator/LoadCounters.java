package io.layercache.coordinator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a cache's loading features (fail-safe, timeouts, background refresh, negative
 * caching), always on, reported with the authoritative layer's
 * {@link io.layercache.LayerStatistics#details()} so operators see them next to the layer whose
 * absence they usually explain.
 */
public final class LoadCounters {

  /** What is counted. */
  public enum Counter {
    /** A stale value was served because the loader failed or timed out. */
    FAIL_SAFE_SERVED("fail-safe.served"),
    /** A caller stopped waiting for the loader at the soft timeout. */
    SOFT_TIMEOUTS("timeouts.soft"),
    /** A caller stopped waiting for the loader at the hard timeout. */
    HARD_TIMEOUTS("timeouts.hard"),
    /** A background refresh started (stale-while-revalidate or refresh-ahead). */
    REFRESHES_STARTED("refresh.started"),
    /** A background refresh failed; the reader never saw it. */
    REFRESH_FAILURES("refresh.failures"),
    /** A loader's "not found" was remembered. */
    NOT_FOUND_STORED("negative.stored"),
    /** A read was answered by a remembered "not found" without calling the loader. */
    NOT_FOUND_HITS("negative.hits");

    private final String key;

    Counter(String key) {
      this.key = key;
    }
  }

  private final LongAdder[] adders = new LongAdder[Counter.values().length];

  /** All counters at zero. */
  public LoadCounters() {
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
  }

  /** Counts one occurrence. */
  public void increment(Counter counter) {
    adders[counter.ordinal()].increment();
  }

  /** The current value of a counter. */
  public long get(Counter counter) {
    return adders[counter.ordinal()].sum();
  }

  /** Every counter by its name, e.g. {@code fail-safe.served}. */
  public Map<String, Long> snapshot() {
    Map<String, Long> result = new TreeMap<>();
    for (Counter counter : Counter.values()) {
      result.put(counter.key, get(counter));
    }
    return result;
  }

  /** Zeroes every counter. */
  public void reset() {
    for (LongAdder adder : adders) {
      adder.reset();
    }
  }
}
