package io.layercache.testsupport.coherence;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the coherence checker against your own configuration file and Redis, and prints the
 * report. Exit status: 0 coherent, 1 not coherent, 2 the run could not be made.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.layercache.testsupport.coherence.CoherenceCheck \
 *     --config /etc/app/caches.conf [--cache coherence] [--instances 3] [--seconds 60] [--keys 100]
 *     [--tags 10] [--rate 1000] [--mix 10,2,3,1] [--bound-ms 50] [--settle-ms MS] [--seed 1] [--logs DIR]
 * </pre>
 *
 * <ul>
 *   <li>{@code --config}: read by every instance as its cache manager's file. The cache
 *       ({@code --cache}) is taken from the file, or created with its {@code layercache.default}
 *       section: memory + Redis with the bus you run. Keys {@code k0..k<keys-1>} of that cache are
 *       written, removed and invalidated: point it at a Redis (or a namespace) you can spare.
 *   <li>{@code --mix}: percent of writes, writes through the loader, removals, tag invalidations
 *       (the rest are reads). {@code --rate}: operations a second per instance.
 *   <li>{@code --bound-ms}: the staleness you accept while the bus is up.
 *   <li>{@code --settle-ms}: how long after the workload the final reads wait; default the bus's
 *       reconcile interval from the file.
 * </ul>
 *
 * The instances run on this host (one {@code System.nanoTime} clock); Redis may be anywhere.
 */
public final class CoherenceCheck {

  private CoherenceCheck() {}

  public static void main(String[] args) {
    Map<String, String> options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      usage(System.err, e.getMessage());
      System.exit(2);
      return;
    }
    try {
      System.exit(run(options, System.out) ? 0 : 1);
    } catch (RuntimeException | java.io.IOException e) {
      System.err.println("coherence check could not run: " + e);
      System.exit(2);
    }
  }

  /** Runs the check; true when coherent. */
  static boolean run(Map<String, String> options, PrintStream out) throws java.io.IOException {
    Path config = Path.of(options.get("--config"));
    if (!Files.isReadable(config)) {
      throw new IllegalArgumentException("cannot read " + config);
    }
    String[] mix = options.getOrDefault("--mix", "10,2,3,1").split(",");
    Workload workload = new Workload(Integer.parseInt(options.getOrDefault("--keys", "100")),
        Integer.parseInt(options.getOrDefault("--tags", "10")), Integer.parseInt(options.getOrDefault("--rate", "1000")),
        Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "60"))),
        Long.parseLong(options.getOrDefault("--seed", "1")), Integer.parseInt(mix[0]), Integer.parseInt(mix[1]),
        Integer.parseInt(mix[2]), Integer.parseInt(mix[3]));
    Path logs = options.containsKey("--logs") ? Path.of(options.get("--logs")) : Files.createTempDirectory("coherence-");
    CoherenceRun.Options runOptions = new CoherenceRun.Options(URI.create(config.toAbsolutePath().toUri().toString()),
        options.getOrDefault("--cache", "coherence"), Integer.parseInt(options.getOrDefault("--instances", "3")),
        workload, logs, List.of("-Xmx256m", "-XX:+UseSerialGC"));
    out.println("coherence check: " + runOptions.instances() + " instances of cache '" + runOptions.cache() + "' from "
        + config + ", workload " + workload.toArgument() + "; instance logs in " + logs);
    try (CoherenceRun run = CoherenceRun.start(runOptions)) {
      Duration settle = options.containsKey("--settle-ms") ? Duration.ofMillis(Long.parseLong(options.get("--settle-ms")))
          : run.reconcileInterval();
      run.begin();
      CoherenceReport report = run.finish(settle,
          HistoryAnalyzer.Settings.of(Duration.ofMillis(Long.parseLong(options.getOrDefault("--bound-ms", "50")))));
      out.println("settle time before the final reads: " + settle.toMillis() + " ms");
      out.println(report);
      return report.coherent();
    }
  }

  static Map<String, String> parse(String[] args) {
    List<String> known = new ArrayList<>(List.of("--config", "--cache", "--instances", "--seconds", "--keys", "--tags",
        "--rate", "--mix", "--bound-ms", "--settle-ms", "--seed", "--logs"));
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!known.contains(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
      }
      options.put(args[i], args[i + 1]);
    }
    if (!options.containsKey("--config")) {
      throw new IllegalArgumentException("--config is required");
    }
    return options;
  }

  private static void usage(PrintStream err, String problem) {
    err.println(problem);
    err.println("usage: CoherenceCheck --config FILE [--cache NAME] [--instances N] [--seconds S] [--keys K]"
        + " [--tags T] [--rate OPS_PER_S] [--mix WRITE,LOAD,REMOVE,TAG] [--bound-ms MS] [--settle-ms MS] [--seed N]"
        + " [--logs DIR]");
  }
}
