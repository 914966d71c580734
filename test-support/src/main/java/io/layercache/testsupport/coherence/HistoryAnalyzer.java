package io.layercache.testsupport.coherence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Judges the merged history of a coherence run: every read against the states its key went
 * through ({@link KeyTimeline}), and every final read against the key's last state.
 *
 * <p>Nothing here needs a model of the cache: only the rules of the workload (one writer per
 * key, versions in order) and the operations' start and end times. The times are taken on one
 * clock for every instance, which on one host {@code System.nanoTime} is; across hosts, see the
 * package documentation.
 */
public final class HistoryAnalyzer {

  private static final int EXAMPLES = 10;

  /**
   * How the history is judged.
   *
   * @param bound  the staleness accepted outside fault windows, e.g. the bus latency bound
   * @param stampSlack how far apart a write and a tag invalidation on two instances must be to be
   *               ordered (tag invalidation compares write stamps in wall-clock milliseconds)
   * @param faults the fault windows; reads that began inside one are reported per window
   */
  public record Settings(Duration bound, Duration stampSlack, List<FaultWindow> faults) {

    /** Copies the list. */
    public Settings {
      Objects.requireNonNull(bound, "bound");
      Objects.requireNonNull(stampSlack, "stampSlack");
      faults = List.copyOf(faults);
    }

    /** {@code bound}, a 1 ms stamp slack (the write clock's resolution across instances), no faults. */
    public static Settings of(Duration bound) {
      return new Settings(bound, Duration.ofMillis(1), List.of());
    }

    /** These settings with these fault windows. */
    public Settings withFaults(List<FaultWindow> windows) {
      return new Settings(bound, stampSlack, windows);
    }
  }

  private HistoryAnalyzer() {}

  /** {@link #analyze(List, List, List, Settings)} without hiccups. */
  public static CoherenceReport analyze(List<Op> ops, List<Op> finalReads, Settings settings) {
    return analyze(ops, finalReads, List.of(), settings);
  }

  /**
   * Analyses a run.
   *
   * @param ops        every instance's operations during the workload
   * @param finalReads every instance's read of every key after the settle time
   * @param hiccups    the instances' late wake-ups: a stale read beyond the bound is counted as a
   *                   host stall, not against the bound, when an instance's threads woke up at
   *                   least as late as the excess while the value was already replaced (the bus
   *                   cannot deliver while the processes cannot run)
   */
  public static CoherenceReport analyze(List<Op> ops, List<Op> finalReads, List<Hiccup> hiccups, Settings settings) {
    Map<String, KeyTimeline> timelines = timelines(ops, settings.stampSlack().toNanos());
    KeyTimeline untouched = timelines.computeIfAbsent("", k -> new KeyTimeline(List.of(), Map.of(), 0));
    Tally outside = new Tally();
    Map<FaultWindow, Tally> inside = new HashMap<>();
    settings.faults().forEach(window -> inside.put(window, new Tally()));
    long origin = ops.stream().mapToLong(Op::start).min().orElse(0);
    long reads = 0;
    long phantoms = 0;
    List<String> examples = new ArrayList<>();
    for (Op read : ops) {
      if (read.kind() != Op.Kind.READ || read.failed()) {
        continue;
      }
      reads++;
      long staleness = timelines.getOrDefault(read.key(), untouched).staleness(read.version(), read.start(), read.end());
      if (staleness == KeyTimeline.PHANTOM) {
        phantoms++;
        example(examples, read, "a version never written (yet)", origin);
      } else if (staleness > 0) {
        FaultWindow window = windowOf(settings.faults(), read.start());
        long excess = staleness - settings.bound().toNanos();
        Hiccup stall = excess > 0 ? longestHiccup(hiccups, read, staleness) : null;
        boolean hostStalled = stall != null && stall.nanos() >= excess;
        (window == null ? outside : inside.get(window)).add(read, staleness, excess > 0, hostStalled);
        if (excess > 0) {
          example(examples, read, String.format(Locale.ROOT, "replaced %.3f ms before%s%s", staleness / 1e6,
              window == null ? "" : " (during '" + window.label() + "')", describe(stall, hostStalled)), origin);
        }
      }
    }
    List<CoherenceReport.WindowResult> windows = windowResults(settings.faults(), inside);
    long changes = ops.stream().filter(op -> op.kind() != Op.Kind.READ).count();
    long failed = ops.stream().filter(Op::failed).count();
    Duration elapsed = Duration.ofNanos(ops.isEmpty() ? 0 : ops.stream().mapToLong(Op::end).max().orElse(0) - origin);
    return new CoherenceReport(instances(ops, finalReads), ops.size(), elapsed, reads, changes, failed, settings.bound(),
        outside.stale, outside.beyond, outside.stalled, Duration.ofNanos(outside.max), phantoms, windows,
        unrepaired(timelines, untouched, finalReads), divergent(finalReads), hiccups.size(),
        Duration.ofNanos(hiccups.stream().mapToLong(Hiccup::nanos).max().orElse(0)), examples);
  }

  /** What the stale reads inside each fault window added up to, in the windows' order. */
  private static List<CoherenceReport.WindowResult> windowResults(List<FaultWindow> faults, Map<FaultWindow, Tally> inside) {
    List<CoherenceReport.WindowResult> windows = new ArrayList<>();
    for (FaultWindow window : faults) {
      Tally tally = inside.get(window);
      windows.add(new CoherenceReport.WindowResult(window, tally.stale, tally.beyond + tally.stalled,
          Duration.ofNanos(tally.max), tally.lastBeyond));
    }
    return windows;
  }

  private static Map<String, KeyTimeline> timelines(List<Op> ops, long slackNanos) {
    Map<String, List<Op>> changesByKey = new HashMap<>();
    Map<String, List<Op>> invalidationsByTag = new HashMap<>();
    for (Op op : ops) {
      switch (op.kind()) {
        case WRITE, REMOVE -> changesByKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        case TAG -> invalidationsByTag.computeIfAbsent(op.tag(), t -> new ArrayList<>()).add(op);
        default -> { }
      }
    }
    Map<String, KeyTimeline> timelines = new HashMap<>();
    changesByKey.forEach((key, changes) -> {
      changes.sort(Comparator.comparingLong(Op::version));
      requireOneWriter(key, changes);
      timelines.put(key, new KeyTimeline(changes, invalidationsByTag, slackNanos));
    });
    return timelines;
  }

  /** The analysis holds only for the workload's rule: one instance changes a key, versions in time order. */
  private static void requireOneWriter(String key, List<Op> changes) {
    for (int i = 1; i < changes.size(); i++) {
      Op previous = changes.get(i - 1);
      Op next = changes.get(i);
      if (next.version() == previous.version() || next.instance() != previous.instance()
          || next.start() < previous.end()) {
        throw new IllegalArgumentException("key " + key + " breaks the one-writer rule: " + previous + " then " + next);
      }
    }
  }

  private static List<String> unrepaired(Map<String, KeyTimeline> timelines, KeyTimeline untouched,
      List<Op> finalReads) {
    List<String> wrong = new ArrayList<>();
    for (Op read : finalReads) {
      KeyTimeline timeline = timelines.getOrDefault(read.key(), untouched);
      if (read.failed() || timeline.staleness(read.version(), read.start(), read.end()) != 0) {
        wrong.add(String.format(Locale.ROOT, "instance %d read %s as %s, expected one of %s", read.instance(),
            read.key(), read.failed() ? "an error" : describe(read.version()),
            timeline.finalStates().stream().map(HistoryAnalyzer::describe).toList()));
      }
    }
    return wrong;
  }

  /** Keys whose successful final reads returned different states on different instances. */
  private static List<String> divergent(List<Op> finalReads) {
    Map<String, Map<Integer, Long>> byKey = new java.util.TreeMap<>();
    for (Op read : finalReads) {
      if (!read.failed()) {
        byKey.computeIfAbsent(read.key(), k -> new java.util.TreeMap<>()).put(read.instance(), read.version());
      }
    }
    List<String> divergent = new ArrayList<>();
    byKey.forEach((key, states) -> {
      if (new HashSet<>(states.values()).size() > 1) {
        Map<Integer, String> described = new java.util.TreeMap<>();
        states.forEach((instance, version) -> described.put(instance, describe(version)));
        divergent.add(key + " read by instance as " + described);
      }
    });
    return divergent;
  }

  /** The longest hiccup of any instance while the value read was already replaced; null when none. */
  private static Hiccup longestHiccup(List<Hiccup> hiccups, Op read, long staleness) {
    Hiccup longest = null;
    for (Hiccup hiccup : hiccups) {
      boolean overlaps = hiccup.at() >= read.start() - staleness && hiccup.at() - hiccup.nanos() <= read.start();
      if (overlaps && (longest == null || hiccup.nanos() > longest.nanos())) {
        longest = hiccup;
      }
    }
    return longest;
  }

  private static String describe(Hiccup stall, boolean hostStalled) {
    return stall == null ? "" : String.format(Locale.ROOT, "; meanwhile instance %d's threads woke %.0f ms late%s",
        stall.instance(), stall.nanos() / 1e6, hostStalled ? " (as late as the excess: a host stall)" : "");
  }

  private static FaultWindow windowOf(List<FaultWindow> windows, long nanos) {
    for (FaultWindow window : windows) {
      if (window.contains(nanos)) {
        return window;
      }
    }
    return null;
  }

  private static void example(List<String> examples, Op read, String why, long origin) {
    if (examples.size() < EXAMPLES) {
      examples.add(String.format(Locale.ROOT, "instance %d read %s as %s at +%.3f ms: %s", read.instance(), read.key(),
          describe(read.version()), (read.start() - origin) / 1e6, why));
    }
  }

  private static String describe(long version) {
    return version == Op.ABSENT ? "absent" : "v" + version;
  }

  private static int instances(List<Op> ops, List<Op> finalReads) {
    Set<Integer> ids = new HashSet<>();
    ops.forEach(op -> ids.add(op.instance()));
    finalReads.forEach(op -> ids.add(op.instance()));
    return ids.size();
  }

  /** Stale reads of one part of the run. */
  private static final class Tally {
    long stale;
    long beyond;
    long stalled;
    long max;
    long lastBeyond = Long.MIN_VALUE;

    /** A stale read; beyond the bound with or without a host stall at least as long as the excess. */
    void add(Op read, long nanos, boolean beyondBound, boolean hostStalled) {
      stale++;
      max = Math.max(max, nanos);
      if (beyondBound) {
        lastBeyond = Math.max(lastBeyond, read.start());
        if (hostStalled) {
          stalled++;
        } else {
          beyond++;
        }
      }
    }
  }
}
