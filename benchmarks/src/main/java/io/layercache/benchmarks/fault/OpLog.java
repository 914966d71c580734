package io.layercache.benchmarks.fault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls of one kind (L1 warm hit, L2 hit, cold miss) made by one thread against one cache,
 * split by {@link Phase}. Written by its one worker thread, read after it stopped.
 */
final class OpLog {

  /** One phase's calls. */
  static final class PhaseStats {
    final Samples latencies = new Samples();
    long calls;
    long errors;
    /** Exceptions that are not a javax.cache.CacheException or whose message does not name the cache and Redis. */
    long unclearErrors;
    long wrongValues;
    final AtomicLong loaderCalls = new AtomicLong();
    final Map<String, Long> errorTypes = new LinkedHashMap<>();
    /** Distinct messages (digits folded) → count, and when each was first seen. */
    final Map<String, Long> errorMessages = new LinkedHashMap<>();
    final Map<String, Long> errorMessageFirstAt = new LinkedHashMap<>();
    String firstError;
    long maxNanos;
    long maxAt;
    /** The events the longest call caused (when traced). */
    List<String> maxTrace = List.of();
  }

  final String op;
  private final String cacheName;
  private final PhaseStats[] phases = new PhaseStats[Phase.values().length];

  OpLog(String op) {
    this(op, null);
  }

  /** With a cache name: exceptions must be CacheExceptions naming it and Redis to count as clear. */
  OpLog(String op, String cacheName) {
    this.op = op;
    this.cacheName = cacheName;
    for (int i = 0; i < phases.length; i++) {
      phases[i] = new PhaseStats();
    }
  }

  PhaseStats of(Phase phase) {
    return phases[phase.ordinal()];
  }

  void record(Phase phase, long startNanos, long nanos, Throwable error, boolean wrongValue) {
    record(phase, startNanos, nanos, error, wrongValue, List.of());
  }

  void record(Phase phase, long startNanos, long nanos, Throwable error, boolean wrongValue, List<String> trace) {
    PhaseStats s = phases[phase.ordinal()];
    s.calls++;
    s.latencies.add(nanos);
    if (nanos > s.maxNanos) {
      s.maxNanos = nanos;
      s.maxAt = startNanos;
      s.maxTrace = trace;
    }
    if (wrongValue) {
      s.wrongValues++;
    }
    if (error != null) {
      s.errors++;
      String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (!(error instanceof javax.cache.CacheException)
          || (cacheName != null && (!message.contains(cacheName.toLowerCase(java.util.Locale.ROOT))
              || !message.contains("redis")))) {
        s.unclearErrors++;
      }
      s.errorTypes.merge(error.getClass().getName(), 1L, Long::sum);
      String signature = signature(error);
      if (s.errorMessages.merge(signature, 1L, Long::sum) == 1L) {
        s.errorMessageFirstAt.put(signature, startNanos);
      }
      if (s.firstError == null) {
        s.firstError = describe(error);
      }
    }
  }

  /** The exception's type, message and root cause with numbers folded to N, capped, to group alike exceptions. */
  static String signature(Throwable error) {
    String text = describe(error).replaceAll("[0-9]+", "N");
    return text.length() > 260 ? text.substring(0, 260) + "…" : text;
  }

  /** Type, message and root cause of an exception, on one line, capped. */
  static String describe(Throwable error) {
    StringBuilder sb = new StringBuilder(error.getClass().getName()).append(": ").append(error.getMessage());
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != error) {
      sb.append(" (root cause ").append(root.getClass().getName()).append(": ").append(root.getMessage()).append(')');
    }
    String text = sb.toString().replace('\n', ' ').replace('|', '/');
    return text.length() > 400 ? text.substring(0, 400) + "…" : text;
  }
}
