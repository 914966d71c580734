package io.layercache.benchmarks.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link FaultReport}'s command line: which scenarios and faults run, how long each fault lasts,
 * and where the report goes. {@code --quick} shortens every phase for a smoke run.
 */
final class FaultReportOptions {

  static final String USAGE = "usage: FaultReport [--out FILE] [--only 1,2,3,4] [--faults kill,stop,slow] [--quick]"
      + " [--kill-seconds 30]"
      + " [--stop-seconds 10] [--slow-seconds 10] [--outage-seconds 60] [--slow-rounds 8]";

  Path out;
  Set<String> only = new LinkedHashSet<>(List.of("1", "2", "3", "4"));
  int killSeconds = 30;
  int stopSeconds = 10;
  int slowSeconds = 10;
  int outageSeconds = 60;
  int slowRounds = 8;
  Set<String> faultNames = new LinkedHashSet<>(List.of("kill", "stop", "slow"));
  RedisFaults.Timing timing = new RedisFaults.Timing(Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(3), Duration.ofSeconds(20));

  private FaultReportOptions() {}

  /** The options, or null after printing the usage for {@code --help}. */
  static FaultReportOptions parse(String[] args) {
    FaultReportOptions options = new FaultReportOptions();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-h") || args[i].equals("--help")) {
        System.out.println(USAGE);
        return null;
      }
      if (args[i].equals("--quick")) {
        options.quick();
      } else {
        options.set(args[i], i + 1 < args.length ? args[i + 1] : null);
        i++;
      }
    }
    return options;
  }

  /** Every phase shortened, for a smoke run. */
  private void quick() {
    killSeconds = 6;
    stopSeconds = 4;
    slowSeconds = 4;
    outageSeconds = 12;
    slowRounds = 4;
    timing = new RedisFaults.Timing(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2),
        Duration.ofSeconds(15));
  }

  private void set(String flag, String v) {
    switch (flag) {
      case "--out" -> out = Path.of(v);
      case "--only" -> only = new LinkedHashSet<>(Arrays.asList(v.split(",")));
      case "--faults" -> faultNames = new LinkedHashSet<>(Arrays.asList(v.split(",")));
      case "--kill-seconds" -> killSeconds = Integer.parseInt(v);
      case "--stop-seconds" -> stopSeconds = Integer.parseInt(v);
      case "--slow-seconds" -> slowSeconds = Integer.parseInt(v);
      case "--outage-seconds" -> outageSeconds = Integer.parseInt(v);
      case "--slow-rounds" -> slowRounds = Integer.parseInt(v);
      default -> throw new IllegalArgumentException("unknown argument " + flag + " (try --help)");
    }
  }
}
