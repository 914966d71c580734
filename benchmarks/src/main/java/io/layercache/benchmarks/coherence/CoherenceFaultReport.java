package io.layercache.benchmarks.coherence;

import io.layercache.testsupport.coherence.CoherenceReport;
import io.layercache.testsupport.coherence.FaultScenario;
import io.layercache.testsupport.coherence.RedisFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The coherence checker's report: three JVMs under the mixed workload on a real Redis, first
 * with no fault, then with a fault in the middle of the writes each (subscriber connections
 * killed, Redis holding back writes for 1.2 s, Redis SIGSTOP 10 s, Redis kill -9 and a restart
 * after 30 s, the last also with graceful writers). Writes a Markdown report (also printed). About 5 minutes on 2 cores.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.coherence.CoherenceFaultReport \
 *     [--out FILE] [--load-seconds 60] [--quick] [--only load,pubsub,held,pause,kill,graceful]
 * </pre>
 *
 * Exit status: 0 every expected scenario coherent (and every instance repaired after its fault),
 * 1 otherwise.
 */
public final class CoherenceFaultReport {

  private static final Duration BOUND = Duration.ofMillis(50);

  private CoherenceFaultReport() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of("benchmarks/results/coherence-report.md");
    long loadSeconds = 60;
    boolean quick = false;
    List<String> only = List.of("load", "pubsub", "held", "pause", "kill", "graceful");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--load-seconds" -> loadSeconds = Long.parseLong(args[++i]);
        case "--quick" -> quick = true;
        case "--only" -> only = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path logs = Files.createTempDirectory("coherence-report-");
    List<CoherenceScenario.Outcome> outcomes = new ArrayList<>();
    for (CoherenceScenario scenario : scenarios(quick, Duration.ofSeconds(quick ? 10 : loadSeconds))) {
      if (only.contains(scenario.name())) {
        System.err.println("== " + scenario.name());
        CoherenceScenario.Outcome outcome = scenario.run(logs, BOUND);
        System.err.println(outcome.fault() != null ? outcome.fault() : outcome.report());
        outcomes.add(outcome);
      }
    }
    String markdown = markdown(outcomes, String.join(" ", args), logs);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, markdown);
    System.out.println(markdown);
    System.exit(outcomes.stream().allMatch(o -> o.passed() || !o.scenario().expected()) ? 0 : 1);
  }

  static List<CoherenceScenario> scenarios(boolean quick, Duration load) {
    Duration pause = Duration.ofSeconds(quick ? 3 : 10);
    Duration down = Duration.ofSeconds(quick ? 5 : 30);
    Duration five = Duration.ofSeconds(5);
    Duration tail = Duration.ofSeconds(10);
    return List.of(
        new CoherenceScenario("load", null, load, Duration.ZERO, Duration.ZERO, "strict", false, false, true),
        new CoherenceScenario("pubsub", RedisFault.SUBSCRIBERS_KILLED, Duration.ofSeconds(15), five, Duration.ZERO,
            "strict", false, false, true),
        new CoherenceScenario("held", RedisFault.WRITES_HELD, five.plus(tail), five, Duration.ofMillis(1200),
            "strict", false, true, true),
        new CoherenceScenario("pause", RedisFault.PAUSED, five.plus(pause).plus(tail), five, pause, "strict", false,
            true, true),
        new CoherenceScenario("kill", RedisFault.KILLED, five.plus(down).plus(tail), five, down, "strict", true, true,
            true),
        new CoherenceScenario("graceful", RedisFault.KILLED, five.plus(down).plus(tail), five, down, "graceful", true,
            true, false));
  }

  private static String markdown(List<CoherenceScenario.Outcome> outcomes, String args, Path logs) {
    StringBuilder md = new StringBuilder("# Coherence report\n\n");
    md.append(String.format(Locale.ROOT, "Three JVMs, %s, bound %d ms, `%s`; instance logs in `%s`.%n%n",
        "each paced at 1,000 operations a second (10 % writes, 2 % writes through the loader, 3 % removals, 1 % tag "
            + "invalidations, 84 % reads over 100 keys; each report says how many ran)", BOUND.toMillis(), ("CoherenceFaultReport " + args).trim(),
        logs));
    md.append("| scenario | operations | stale reads outside the fault (beyond 50 ms) | max staleness outside |"
        + " during the fault window: stale (beyond 50 ms), max | first repair per instance, relative to the lift:"
        + " since the fault began; since the lift |"
        + " last read staler than 50 ms, after the lift | failed operations | unrepaired final reads | divergent keys |"
        + " thread wake-ups > 10 ms late (longest) | verdict |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (CoherenceScenario.Outcome outcome : outcomes) {
      md.append(row(outcome)).append('\n');
    }
    md.append("\n");
    for (CoherenceScenario.Outcome outcome : outcomes) {
      md.append("```\n").append(outcome.fault() != null ? outcome.fault() : outcome.report()).append("\n```\n\n");
    }
    return md.toString();
  }

  private static String row(CoherenceScenario.Outcome outcome) {
    CoherenceReport r = outcome.report();
    FaultScenario.Result f = outcome.fault();
    String window = f == null ? "—" : String.format(Locale.ROOT, "%d (%d), %.1f ms", r.faults().get(0).staleReads(),
        r.faults().get(0).beyondBound(), r.faults().get(0).maxStaleness().toNanos() / 1e6);
    String repairs = f == null ? "—" : f.repairs().stream().map(CoherenceFaultReport::millis).toList() + "; "
        + f.repairsAfterLift().stream().map(CoherenceFaultReport::millis).toList();
    String last = f == null ? "—" : f.lastStaleAfterLift().map(d -> millis(Optional.of(d))).orElse("none");
    String verdict = outcome.passed() ? "coherent" : outcome.scenario().expected() ? "**FAILED**"
        : "not coherent (documented limit)";
    return String.format(Locale.ROOT,
        "| %s | %d in %.0f s | %d (%d) | %.1f ms | %s | %s | %s | %d | %d | %d | %d (%.0f ms) | %s |",
        f == null ? "no fault, " + outcome.scenario().workload().toSeconds() + " s" : f.fault()
            + (outcome.scenario().mode().equals("graceful") ? ", graceful writers" : "")
            + (outcome.scenario().quiet() ? "; no writes after it" : ""),
        r.operations(), r.elapsed().toMillis() / 1e3, r.staleReads(), r.staleBeyondBound(),
        r.maxStaleness().toNanos() / 1e6, window, repairs, last, r.failed(), r.unrepaired().size(),
        r.divergent().size(), r.hiccups(), r.longestHiccup().toNanos() / 1e6, verdict);
  }

  private static String millis(Optional<Duration> duration) {
    return duration.map(d -> String.format(Locale.ROOT, "%+.0f ms", d.toNanos() / 1e6)).orElse("none");
  }
}
