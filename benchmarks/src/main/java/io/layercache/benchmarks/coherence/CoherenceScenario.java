package io.layercache.benchmarks.coherence;

import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.coherence.CoherenceConfig;
import io.layercache.testsupport.coherence.CoherenceReport;
import io.layercache.testsupport.coherence.CoherenceRun;
import io.layercache.testsupport.coherence.FaultScenario;
import io.layercache.testsupport.coherence.HistoryAnalyzer;
import io.layercache.testsupport.coherence.RedisFault;
import io.layercache.testsupport.coherence.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One scenario of {@link CoherenceFaultReport}: three instances under the mixed workload on a
 * Redis of their own, with at most one fault.
 *
 * @param name       the scenario's name in the report
 * @param fault      the fault, or null for the load alone
 * @param workload   how long the workload runs
 * @param after      when the fault begins, from the workload's start
 * @param length     how long it lasts
 * @param mode       the writers' resilience mode ({@code strict} or {@code graceful})
 * @param persistent Redis appends every write to its AOF and fsyncs it ({@code appendfsync always}),
 *                   so a restart keeps what was committed
 * @param quiet      changes stop once the fault is lifted (reads go on), so no later write hides
 *                   what the fault left behind from the final reads
 * @param expected   whether the scenario must be coherent for the report to pass (false: a
 *                   documented limit, reported as measured)
 */
record CoherenceScenario(String name, @Nullable RedisFault fault, Duration workload, Duration after, Duration length,
    String mode, boolean persistent, boolean quiet, boolean expected) {

  /** The outcome: the report, and for a fault its repairs. */
  record Outcome(CoherenceScenario scenario, CoherenceReport report, FaultScenario.@Nullable Result fault) {

    /**
     * Coherent, and without a fault no operation failed. Repairs are reported, not required: a
     * fault that loses no message (writes held back briefly) needs none.
     */
    boolean passed() {
      return report.coherent() && (fault != null || report.failed() == 0);
    }
  }

  Outcome run(Path logs, Duration bound) {
    List<String> redisArgs = persistent ? List.of("--appendonly", "yes", "--appendfsync", "always") : List.of();
    try (RedisServer redis = RedisServer.start(redisArgs)) {
      String namespace = "coh-" + name.replaceAll("[^A-Za-z0-9]", "-");
      Path config = CoherenceConfig.of(redis.uri(), namespace).withMode(mode)
          .write(logs.resolve(namespace + ".conf"));
      CoherenceRun.Options options = CoherenceRun.Options.of(config.toUri(), 3, Workload.defaults(workload),
          logs.resolve(namespace));
      if (fault == null) {
        try (CoherenceRun run = CoherenceRun.start(options)) {
          run.begin();
          return new Outcome(this, run.finish(run.reconcileInterval(), HistoryAnalyzer.Settings.of(bound)), null);
        }
      }
      FaultScenario.Result result = FaultScenario.run(redis, options, fault, after, length, bound, quiet);
      return new Outcome(this, result.report(), result);
    }
  }
}
