package io.layercache.testsupport.coherence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A coherence run: {@code instances} JVMs ({@link CoherenceWorker}) read one cache configuration
 * file, run the {@link Workload} at the same time, wait the settle time, read every key once more
 * and hand over their histories, which {@link HistoryAnalyzer} judges.
 *
 * <pre>{@code
 * try (CoherenceRun run = CoherenceRun.start(CoherenceRun.Options.of(configFile.toUri(), 3, workload, logs))) {
 *   run.begin();
 *   // inject faults here, if any
 *   CoherenceReport report = run.finish(run.reconcileInterval(), HistoryAnalyzer.Settings.of(Duration.ofMillis(50)));
 * }
 * }</pre>
 *
 * <p>Every instance runs on this host, so that their {@code System.nanoTime} readings are one
 * clock; {@link #start} checks that each instance's clock reading falls between two of this
 * JVM's, and refuses to run otherwise.
 */
public final class CoherenceRun implements AutoCloseable {

  /** The environment variable that tells each instance its number (0, 1, ...), for per-instance names. */
  public static final String INSTANCE_VARIABLE = "COHERENCE_INSTANCE";
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration LEAD = Duration.ofMillis(500);
  /** Long enough for the JIT to compile the cache's and the bus's hot paths in every instance. */
  private static final Duration WARM_UP = Duration.ofSeconds(3);

  /**
   * How to run.
   *
   * @param config     the configuration file's URI ({@code file:...}), read by every instance
   * @param cache      the cache: declared in the file, or created with the file's defaults
   * @param instances  how many instances (JVMs)
   * @param workload   what each runs
   * @param logs       the directory for each instance's log ({@code instance-<n>.log}: stderr)
   * @param jvmOptions options of the instances' JVMs
   */
  public record Options(URI config, String cache, int instances, Workload workload, Path logs, List<String> jvmOptions) {

    /** Copies the list. */
    public Options {
      jvmOptions = List.copyOf(jvmOptions);
      if (instances < 1) {
        throw new IllegalArgumentException("at least one instance");
      }
    }

    /** The cache {@code coherence}, JVMs with a 256 MB heap and the serial collector (2 cores suffice). */
    public static Options of(URI config, int instances, Workload workload, Path logs) {
      return new Options(config, "coherence", instances, workload, logs, List.of("-Xmx256m", "-XX:+UseSerialGC"));
    }
  }

  /** What the instances recorded. */
  public record History(List<Op> operations, List<Op> finalReads, List<BusEvent> events, List<Hiccup> hiccups) {}

  private final Options options;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private Duration heartbeat = Duration.ZERO;
  private Duration reconcile = Duration.ZERO;
  private long startNanos;

  private CoherenceRun(Options options) {
    this.options = options;
  }

  /** Starts the instances and waits until each has its cache and shares this JVM's clock. */
  public static CoherenceRun start(Options options) {
    CoherenceRun run = new CoherenceRun(options);
    try {
      Files.createDirectories(options.logs());
      for (int i = 0; i < options.instances(); i++) {
        run.workers.add(run.launch(i));
      }
      for (WorkerProcess worker : run.workers) {
        String[] ready = worker.expect("READY", STARTUP).split(" ");
        run.heartbeat = Duration.ofMillis(Long.parseLong(ready[1]));
        run.reconcile = Duration.ofMillis(Long.parseLong(ready[2]));
        checkClock(worker);
      }
      return run;
    } catch (IOException e) {
      run.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  private WorkerProcess launch(int instance) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CoherenceWorker.class.getName(),
        options.config().toString(), options.cache(), Integer.toString(instance),
        Integer.toString(options.instances()), options.workload().toArgument()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(options.logs().resolve("instance-" + instance + ".log").toFile());
    // for names a configuration must make per instance (a JetStream durable consumer, a durable
    // RabbitMQ queue): ${COHERENCE_INSTANCE} in the file
    builder.environment().put(INSTANCE_VARIABLE, Integer.toString(instance));
    Process process = builder.start();
    return new WorkerProcess(instance, process);
  }

  /** The instance's clock reading must fall between this JVM's before the question and after the answer. */
  private static void checkClock(WorkerProcess worker) {
    long before = System.nanoTime();
    worker.send("CLOCK");
    long theirs = Long.parseLong(worker.expect("CLOCK ", STARTUP).split(" ")[1]);
    long after = System.nanoTime();
    if (theirs < before || theirs > after) {
      throw new IllegalStateException("instance " + worker.instance() + " does not share this JVM's System.nanoTime "
          + "clock (" + theirs + " outside " + before + ".." + after + "): a coherence run needs every instance on "
          + "one host");
    }
  }

  /** The instances, e.g. to send them {@code LOAD} and {@code PEEK} commands. */
  public List<WorkerProcess> workers() {
    return List.copyOf(workers);
  }

  /** The bus's heartbeat interval in the instances' configuration (zero without a bus). */
  public Duration heartbeatInterval() {
    return heartbeat;
  }

  /** The bus's reconcile interval in the instances' configuration (zero without a bus). */
  public Duration reconcileInterval() {
    return reconcile;
  }

  /**
   * Warms every instance up (the workload on keys and tags of its own for a few seconds,
   * unrecorded, as any benchmark does: a cold JIT delays the bus too), empties the cache (a run's
   * versions start at 1: values an earlier run left in Redis would read as phantoms), then lets
   * every instance start the workload at the same instant, shortly from now; returns it.
   */
  public long begin() {
    workers.forEach(worker -> worker.send("WARM " + WARM_UP.toMillis()));
    workers.forEach(worker -> worker.expect("WARMED", WARM_UP.plus(STARTUP)));
    workers.get(0).send("CLEAR");
    workers.get(0).expect("CLEARED", STARTUP);
    startNanos = System.nanoTime() + LEAD.toNanos();
    workers.forEach(worker -> worker.send("RUN " + startNanos));
    return startNanos;
  }

  /**
   * Waits until the workload ended everywhere, then {@code settle} (the repair time the
   * configuration promises: this wait is what is being checked), collects the histories and
   * judges them.
   */
  public CoherenceReport finish(Duration settle, HistoryAnalyzer.Settings settings) {
    History history = collect(settle);
    return HistoryAnalyzer.analyze(history.operations(), history.finalReads(), history.hiccups(), settings);
  }

  /** As {@link #finish}, returning the histories themselves. */
  public History collect(Duration settle) {
    Duration timeout = options.workload().duration().plus(STARTUP);
    for (WorkerProcess worker : workers) {
      worker.expect("DONE", timeout);
    }
    long until = System.nanoTime() + settle.toNanos();
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
    List<Op> operations = new ArrayList<>();
    List<Op> finals = new ArrayList<>();
    List<BusEvent> events = new ArrayList<>();
    List<Hiccup> hiccups = new ArrayList<>();
    for (WorkerProcess worker : workers) {
      worker.send("FINAL");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (String line = worker.next(deadline, "END"); !line.equals("END"); line = worker.next(deadline, "END")) {
        if (line.startsWith("OP ")) {
          operations.add(Op.parse(line));
        } else if (line.startsWith("FIN ")) {
          finals.add(Op.parse(line.substring(4)));
        } else if (line.startsWith("EV ")) {
          events.add(BusEvent.parse(line));
        } else if (line.startsWith("HIC ")) {
          hiccups.add(Hiccup.parse(line));
        }
      }
    }
    return new History(operations, finals, events, hiccups);
  }

  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
  }
}
