package io.layercache.benchmarks.fault;

import io.layercache.testsupport.RedisServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Measures how LayerCache (memory + Redis) behaves under real Redis faults and a failing origin,
 * against a redis-server it starts itself, and prints a Markdown report. Not a JMH benchmark.
 *
 * <ol>
 *   <li>Redis faults (kill -9 + restart, SIGSTOP/SIGCONT, repeated DEBUG SLEEP), strict vs graceful;
 *   <li>the seed's slow-Redis table (0 ms / 500 ms stall, strict vs graceful);
 *   <li>fail-safe through a 60 s origin outage;
 *   <li>stale-while-revalidate with a slow loader.
 * </ol>
 *
 * <p>Every expectation is checked; the program exits with 1 when one is violated (2 when a
 * scenario could not run), after printing everything.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.fault.FaultReport \
 *     [--out benchmarks/results/fault-report.md] [--only 1,2,3,4] [--faults kill,stop,slow] [--quick]
 *     [--kill-seconds 30] [--stop-seconds 10] [--slow-seconds 10] [--outage-seconds 60] [--slow-rounds 8]
 * </pre>
 */
public final class FaultReport {

  private FaultReport() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    Set<String> only = new LinkedHashSet<>(List.of("1", "2", "3", "4"));
    int killSeconds = 30;
    int stopSeconds = 10;
    int slowSeconds = 10;
    int outageSeconds = 60;
    int slowRounds = 8;
    Set<String> faultNames = new LinkedHashSet<>(List.of("kill", "stop", "slow"));
    RedisFaults.Timing timing = new RedisFaults.Timing(Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(3), Duration.ofSeconds(20));
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--out" -> {
          out = Path.of(v);
          i++;
        }
        case "--only" -> {
          only = new LinkedHashSet<>(Arrays.asList(v.split(",")));
          i++;
        }
        case "--quick" -> {
          killSeconds = 6;
          stopSeconds = 4;
          slowSeconds = 4;
          outageSeconds = 12;
          slowRounds = 4;
          timing = new RedisFaults.Timing(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2),
              Duration.ofSeconds(15));
        }
        case "--faults" -> {
          faultNames = new LinkedHashSet<>(Arrays.asList(v.split(",")));
          i++;
        }
        case "--kill-seconds" -> {
          killSeconds = Integer.parseInt(v);
          i++;
        }
        case "--stop-seconds" -> {
          stopSeconds = Integer.parseInt(v);
          i++;
        }
        case "--slow-seconds" -> {
          slowSeconds = Integer.parseInt(v);
          i++;
        }
        case "--outage-seconds" -> {
          outageSeconds = Integer.parseInt(v);
          i++;
        }
        case "--slow-rounds" -> {
          slowRounds = Integer.parseInt(v);
          i++;
        }
        case "-h", "--help" -> {
          System.out.println("usage: FaultReport [--out FILE] [--only 1,2,3,4] [--faults kill,stop,slow] [--quick]"
              + " [--kill-seconds 30]"
              + " [--stop-seconds 10] [--slow-seconds 10] [--outage-seconds 60] [--slow-rounds 8]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
      }
    }

    long t0 = System.nanoTime();
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadAtStart = loadAverage();
    Checks checks = new Checks();
    StringBuilder body = new StringBuilder();
    boolean crashed = false;
    String redisVersion;
    String redisPort;
    try (RedisServer redis = RedisServer.start()) {
      redisVersion = redisVersion(redis);
      redisPort = redis.port() + " (redis-server started by the program: --save \"\" --appendonly no"
          + " --enable-debug-command local)";
      if (only.contains("1")) {
        body.append("## 1. Redis faults, strict vs graceful\n\n");
        body.append(String.format(Locale.ROOT,
            "Two application instances (cache managers with their own memory layer and Redisson client), one STRICT"
                + " and one GRACEFUL, run at the same time against the same redis-server, so both see the same fault."
                + " Each: memory (Caffeine, 10 000 entries) + Redis, command timeout %d ms, %d Redisson retry, so"
                + " the layer's call bound is %d ms; circuit breaker %d failures / %d s. Each instance runs three"
                + " paced loops, all through `LayerCache.get(key, loader)` with a loader that sleeps %d ms:"
                + " **L1 warm hit** (%d keys put by this instance before, 200 µs pause), **L2 hit** (each call a new"
                + " key that a third instance wrote to Redis before the run, never in this L1; 20 ms pause) and"
                + " **cold miss** (a new key per call; 5 ms pause). Latencies are per call, by the phase the call"
                + " started in. The events come from `LayerCache.subscribe`. Checks allow %d ms of scheduling"
                + " slack over the call bound.%n%n",
            Node.COMMAND_TIMEOUT.toMillis(), Node.RETRY_ATTEMPTS, Node.CALL_BOUND_MS, RedisFaults.BREAKER_FAILURES,
            RedisFaults.BREAK_DURATION.toSeconds(), RedisFaults.LOADER_MS, RedisFaults.WARM_KEYS,
            RedisFaults.SLACK_MS));
        int[] seconds = {killSeconds, stopSeconds, slowSeconds};
        List<String> summaryRows = new java.util.ArrayList<>();
        StringBuilder sections = new StringBuilder();
        RedisFaults.Fault[] faults = RedisFaults.Fault.values();
        for (int f = 0; f < faults.length; f++) {
          if (!faultNames.contains(faults[f].name().toLowerCase(Locale.ROOT))) {
            continue;
          }
          try {
            sections.append(RedisFaults.run(redis, faults[f], Duration.ofSeconds(seconds[f]), timing, checks,
                summaryRows));
            sections.append("Checks:\n\n").append(checksOf(checks, faults[f].id)).append('\n');
          } catch (Exception | AssertionError e) {
            crashed = true;
            sections.append(crash("scenario " + faults[f].id, e));
          } finally {
            heal(redis);
          }
        }
        body.append("Summary (details, events and checks per fault below):\n\n").append(RedisFaults.SUMMARY_HEADER);
        summaryRows.forEach(body::append);
        body.append('\n').append(sections);
      }
      if (only.contains("2")) {
        body.append("## 2. Slow Redis table (seed `bench:slow-redis` shape)\n\n");
        try {
          body.append(SlowRedisTable.run(redis, slowRounds, checks));
          body.append("Checks:\n\n").append(checksOf(checks, SlowRedisTable.SCENARIO)).append('\n');
        } catch (Exception | AssertionError e) {
          crashed = true;
          body.append(crash("scenario 2", e));
        } finally {
          heal(redis);
        }
      }
      if (only.contains("3")) {
        body.append("## 3. Fail-safe through an origin outage\n\n");
        try {
          body.append(FailSafeOutage.run(redis, 20, Duration.ofSeconds(1), Duration.ofMinutes(10),
              Duration.ofSeconds(5), Duration.ofSeconds(outageSeconds), 4, checks));
          body.append("Checks:\n\n").append(checksOf(checks, FailSafeOutage.SCENARIO)).append('\n');
        } catch (Exception | AssertionError e) {
          crashed = true;
          body.append(crash("scenario 3", e));
        }
      }
      if (only.contains("4")) {
        body.append("## 4. Stale-while-revalidate with a slow loader\n\n");
        try {
          body.append(StaleWhileRevalidate.run(redis, checks));
          body.append("Checks:\n\n").append(checksOf(checks, StaleWhileRevalidate.SCENARIO)).append('\n');
        } catch (Exception | AssertionError e) {
          crashed = true;
          body.append(crash("scenario 4", e));
        }
      }
    }

    double totalSeconds = (System.nanoTime() - t0) / 1e9;
    StringBuilder sb = new StringBuilder();
    sb.append("# LayerCache fault report\n\n");
    sb.append("Generated by `io.layercache.benchmarks.fault.FaultReport` (").append(startedAt).append(", ")
        .append(String.format(Locale.ROOT, "%.0f s", totalSeconds))
        .append("). Every number below was measured in this run; single-host snapshot on a small machine, not a"
            + " guarantee.\n\n");
    sb.append("## Environment\n\n");
    sb.append("- CPUs: ").append(Runtime.getRuntime().availableProcessors()).append(" (").append(cpuModel())
        .append("); load average at start ").append(loadAtStart).append(", at end ").append(loadAverage()).append('\n');
    sb.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
        .append("), max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB, JVM options ")
        .append(ManagementFactory.getRuntimeMXBean().getInputArguments()).append('\n');
    sb.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
        .append('\n');
    sb.append("- Redis: ").append(redisVersion).append(", 127.0.0.1:").append(redisPort).append('\n');
    String git = System.getenv("FAULT_REPORT_GIT");
    if (git != null && !git.isBlank()) {
      sb.append("- Source: ").append(git).append('\n');
    }
    sb.append("- Command: `").append(command(args)).append("`\n");
    String script = System.getenv("FAULT_REPORT_SCRIPT");
    if (script != null && !script.isBlank()) {
      sb.append("- Run through: `").append(script).append("`\n");
    }
    sb.append('\n');
    List<Checks.Check> failed = checks.failed();
    sb.append("## Result\n\n");
    sb.append(checks.all().size() - failed.size()).append(" of ").append(checks.all().size())
        .append(" checks passed").append(crashed ? "; at least one scenario could not run (see below)" : "")
        .append(".\n\n");
    if (!failed.isEmpty()) {
      sb.append("Failed checks:\n\n");
      for (Checks.Check c : failed) {
        sb.append("- ").append(c.scenario()).append(": ").append(c.expectation()).append(" — measured: ")
            .append(c.measured()).append('\n');
      }
      sb.append('\n');
    }
    sb.append(body);

    String report = sb.toString();
    System.out.println(report);
    if (out != null) {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, report, StandardCharsets.UTF_8);
      System.err.println("(written to " + out + ")");
    }
    int status = crashed ? 2 : failed.isEmpty() ? 0 : 1;
    System.err.println("fault report: " + (checks.all().size() - failed.size()) + "/" + checks.all().size()
        + " checks passed, exit status " + status);
    System.exit(status);
  }

  /** The checks whose scenario name starts with {@code prefix}. */
  private static String checksOf(Checks checks, String prefix) {
    StringBuilder sb = new StringBuilder("| scenario | check | result | measured |\n|---|---|---|---|\n");
    for (Checks.Check c : checks.all()) {
      if (c.scenario().startsWith(prefix)) {
        sb.append("| ").append(c.scenario()).append(" | ").append(c.expectation()).append(" | ")
            .append(c.passed() ? "pass" : "**FAIL**").append(" | ").append(c.measured()).append(" |\n");
      }
    }
    return sb.toString();
  }

  /** Brings redis-server back (alive, not paused) after a scenario, whatever happened. */
  private static void heal(RedisServer redis) {
    try {
      if (!redis.isAlive()) {
        redis.restart();
      } else {
        redis.resume();
      }
    } catch (RuntimeException e) {
      System.err.println("could not heal redis-server: " + e);
    }
  }

  private static String crash(String what, Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    System.err.println(what + " failed: " + w);
    return "**" + what + " could not run:**\n\n```\n" + w.toString().lines().limit(30).collect(Collectors.joining("\n"))
        + "\n```\n\n";
  }

  private static String command(String[] args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    return java + (jvm.isEmpty() ? "" : " " + String.join(" ", jvm)) + " -cp "
        + System.getProperty("java.class.path") + " " + FaultReport.class.getName()
        + (args.length == 0 ? "" : " " + String.join(" ", args));
  }

  private static String redisVersion(RedisServer redis) {
    try {
      Object info = redis.command("INFO", "server");
      String text = info instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(info);
      return text.lines().filter(l -> l.startsWith("redis_version:")).map(l -> "redis-server " + l.substring(14).trim())
          .findFirst().orElse("redis-server (version unknown)");
    } catch (RuntimeException e) {
      return "redis-server (version unknown: " + e + ")";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown model");
    } catch (IOException e) {
      return "unknown model";
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
