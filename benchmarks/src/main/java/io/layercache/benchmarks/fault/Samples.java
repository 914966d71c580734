package io.layercache.benchmarks.fault;

import java.util.Arrays;
import java.util.Locale;

/** A growable list of latencies in nanoseconds, with percentiles. Not thread-safe. */
final class Samples {
  private long[] values = new long[1024];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }

  /** The p-quantile (0..1) in ms of a sorted array, nearest rank; NaN when empty. */
  static double percentileMillis(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
  }

  /** "p50 / p99 / max" in ms. */
  String summary() {
    long[] s = sorted();
    if (s.length == 0) {
      return "– / – / –";
    }
    return ms(percentileMillis(s, 0.50)) + " / " + ms(percentileMillis(s, 0.99)) + " / " + ms(s[s.length - 1] / 1e6);
  }

  double p(double q) {
    return percentileMillis(sorted(), q);
  }

  double maxMillis() {
    long max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, values[i]);
    }
    return size == 0 ? Double.NaN : max / 1e6;
  }

  /** Milliseconds with a precision that suits the magnitude. */
  static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "–";
    }
    if (millis < 1) {
      return String.format(Locale.ROOT, "%.4f", millis);
    }
    if (millis < 100) {
      return String.format(Locale.ROOT, "%.2f", millis);
    }
    return String.format(Locale.ROOT, "%.0f", millis);
  }
}
