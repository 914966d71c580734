package io.layercache.testsupport.coherence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The build's coherence check under load, shared by every transport's test: three instances run
 * the default workload on one configuration, the report is printed with the machine's load
 * average (to tell a busy machine from a slow bus), and {@link #requireCoherent} fails unless
 * enough ran and every read stayed within the bound and every key ended repaired.
 */
public final class LoadCheck {

  /** Instances of every check. */
  public static final int INSTANCES = 3;

  private LoadCheck() {}

  /**
   * Writes {@code config} to {@code logs/<name>.conf}, runs the workload for {@code seconds} on
   * three instances, judges the history with {@code bound} and prints the report under
   * {@code label}.
   */
  public static CoherenceReport run(CoherenceConfig config, Path logs, String name, Duration seconds, Duration bound,
      String label) {
    Path file = config.write(logs.resolve(name + ".conf"));
    CoherenceReport report;
    try (CoherenceRun run = CoherenceRun.start(
        CoherenceRun.Options.of(file.toUri(), INSTANCES, Workload.defaults(seconds), logs.resolve(name)))) {
      run.begin();
      report = run.finish(run.reconcileInterval(), HistoryAnalyzer.Settings.of(bound));
    }
    System.out.printf("%n[coherence under load, %s, %d s; load average %s]%n%s%n%n", label, seconds.toSeconds(),
        loadAverage(), report);
    return report;
  }

  /**
   * Fails with the report unless at least 100 reads and 20 changes a second per instance ran (a
   * busy machine delivers fewer than the 1,000 operations asked for, but a run that hardly ran
   * says nothing), no read was staler than the bound or a phantom, and every key was repaired
   * and read alike.
   */
  public static void requireCoherent(CoherenceReport report, Duration seconds) {
    long reads = seconds.toSeconds() * INSTANCES * 100;
    long changes = seconds.toSeconds() * INSTANCES * 20;
    if (report.reads() <= reads || report.changes() <= changes) {
      throw new AssertionError("too little ran to judge (want over " + reads + " reads and " + changes
          + " changes):\n" + report);
    }
    if (!report.coherent() || !report.examples().isEmpty()) {
      throw new AssertionError("not coherent:\n" + report);
    }
  }

  /** The machine's load averages (1, 5, 15 min), or "unknown". */
  public static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
