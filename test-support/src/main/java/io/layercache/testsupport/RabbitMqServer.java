package io.layercache.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real RabbitMQ broker for integration and fault tests: Debian's {@code rabbitmq-server} started
 * on free loopback ports, or the broker named by {@code AMQP_URL}.
 *
 * <ul>
 *   <li>Everything the node keeps is in a temporary directory of its own (Mnesia database,
 *       message store, logs, its Erlang cookie in a {@code HOME} of its own), with its own node
 *       name, AMQP port, distribution port and epmd port, so it never meets a packaged broker
 *       (epmd on 4369, {@code /var/lib/rabbitmq}) or another test's node.
 *   <li>{@link #kill()} sends SIGKILL to the Erlang VM, as a crash would; {@link #stop()} stops it
 *       cleanly (SIGTERM: queues and persistent messages are flushed); {@link #start()} starts it
 *       again on the same ports with the same data, so durable queues and persistent messages
 *       come back.
 *   <li>Starting takes seconds, so tests share one broker per test JVM
 *       ({@link RabbitMqServerExtension}).
 *   <li>The start script is {@code /usr/lib/rabbitmq/bin/rabbitmq-server}, or
 *       {@code $RABBITMQ_SERVER_BIN}. (Debian's {@code /usr/sbin/rabbitmq-server} switches to the
 *       {@code rabbitmq} user and its files, which a test must not touch.) When it is missing the
 *       test fails saying how to install it: a missing server never skips a test.
 * </ul>
 */
public final class RabbitMqServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqServer.class);
  private static final String DEFAULT_SCRIPT = "/usr/lib/rabbitmq/bin/rabbitmq-server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String url;
  private final int port;
  private final Path directory;
  private final int distributionPort;
  private final int epmdPort;
  private Process process;
  private Duration lastStart = Duration.ZERO;
  private Thread shutdownHook;

  private RabbitMqServer(String url, int port, Path directory, int distributionPort, int epmdPort) {
    this.url = url;
    this.port = port;
    this.directory = directory;
    this.distributionPort = distributionPort;
    this.epmdPort = epmdPort;
  }

  /** Starts a broker of its own on free loopback ports. */
  public static RabbitMqServer startLocal() {
    int port = FreePorts.find(false);
    int distribution = FreePorts.find(false);
    int epmd = FreePorts.find(false);
    try {
      Path directory = Files.createTempDirectory("rabbitmq-" + port + "-");
      Files.createDirectories(directory.resolve("home"));
      Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
      Files.writeString(directory.resolve("rabbitmq-env.conf"), "");
      Files.writeString(directory.resolve("rabbitmq.conf"), String.join("\n",
          "listeners.tcp.1 = 127.0.0.1:" + port, "log.console = false", "log.file.level = info", ""));
      RabbitMqServer server = new RabbitMqServer("amqp://guest:guest@127.0.0.1:" + port, port, directory,
          distribution, epmd);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The broker of {@code AMQP_URL} when it is set (the tests own nothing there), else {@link #startLocal()}. */
  public static RabbitMqServer fromEnvironment() {
    String configured = System.getenv("AMQP_URL");
    if (configured != null && !configured.isBlank()) {
      return new RabbitMqServer(configured, -1, null, -1, -1);
    }
    return startLocal();
  }

  /** The broker's URL with the default user: {@code amqp://guest:guest@127.0.0.1:PORT}. */
  public String url() {
    return url;
  }

  /** The AMQP port on 127.0.0.1 of a broker this harness started; -1 for the broker of {@code AMQP_URL}. */
  public int port() {
    return port;
  }

  /** True when the broker answers the AMQP 0-9-1 protocol header with its connection.start frame now. */
  public boolean answersHandshake() {
    return owned() && handshake();
  }

  /** True when this harness started the broker (and can kill, stop and start it). */
  public boolean owned() {
    return directory != null;
  }

  /** How long the last (re)start took until the broker answered the AMQP handshake. */
  public Duration lastStart() {
    return lastStart;
  }

  /** True while the broker's process runs. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the Erlang VM with SIGKILL, as a crash would; its data stays for {@link #start()}. */
  public void kill() {
    requireOwned("kill");
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    await(process);
    LOG.info("rabbitmq-server on port {} killed (SIGKILL)", port);
  }

  /** Stops the broker cleanly (SIGTERM), waiting until it exited; its data stays for {@link #start()}. */
  public void stop() {
    requireOwned("stop");
    ProcessHandle vm = process.descendants().filter(p -> p.info().command().orElse("").endsWith("beam.smp"))
        .findFirst().orElse(null);
    if (vm != null) {
      vm.destroy();
      vm.onExit().orTimeout(60, TimeUnit.SECONDS).join();
    }
    process.destroy();
    await(process);
    LOG.info("rabbitmq-server on port {} stopped", port);
  }

  /** Starts the broker (again): same ports, node name and data; returns once it answers. */
  public synchronized void start() {
    requireOwned("start");
    if (isAlive()) {
      throw new IllegalStateException("rabbitmq-server on port " + port + " is running");
    }
    long begin = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(script()).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("stdout.log").toFile()));
    environment(builder.environment());
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + script() + ": " + e.getMessage()
          + ". Install it (Debian: apt-get install rabbitmq-server) or set RABBITMQ_SERVER_BIN", e);
    }
    if (shutdownHook == null) {
      shutdownHook = new Thread(this::destroyQuietly, "rabbitmq-server-" + port + "-cleanup");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    awaitHandshake();
    lastStart = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info("rabbitmq-server pid={} listening on 127.0.0.1:{} (started in {} ms)", process.pid(), port,
        lastStart.toMillis());
  }

  private void environment(Map<String, String> env) {
    String node = "layercache-test-" + port + "@localhost";
    env.put("HOME", directory.resolve("home").toString()); // the Erlang cookie is made there
    env.put("RABBITMQ_NODENAME", node);
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
    env.put("RABBITMQ_DIST_PORT", String.valueOf(distributionPort));
    env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
    env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    env.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
    env.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString());
  }

  /** Waits until the broker answers the AMQP 0-9-1 protocol header with its connection.start frame. */
  private void awaitHandshake() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!handshake()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("rabbitmq-server exited with " + process.exitValue() + " (" + directory
            + "): " + tail());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("rabbitmq-server on port " + port + " did not answer within "
            + START_TIMEOUT.toSeconds() + " s (" + directory + "): " + tail());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private boolean handshake() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
      out.flush();
      InputStream in = socket.getInputStream();
      return in.read() == 1; // frame type 1: a method frame (connection.start)
    } catch (IOException e) {
      return false;
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("stdout.log"), StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private void requireOwned(String what) {
    if (!owned()) {
      throw new IllegalStateException("cannot " + what + " the broker of AMQP_URL (" + url + "): the test needs one "
          + "it starts itself");
    }
  }

  private static String script() {
    String configured = System.getenv("RABBITMQ_SERVER_BIN");
    String script = configured == null || configured.isBlank() ? DEFAULT_SCRIPT : configured;
    if (!new File(script).canExecute()) {
      throw new IllegalStateException(script + " was not found. Install it (Debian: apt-get install rabbitmq-server; "
          + "scripts/test-all.sh does this when run as root) or set RABBITMQ_SERVER_BIN, or point AMQP_URL at a broker");
    }
    return script;
  }

  private static void await(Process process) {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("rabbitmq-server did not exit within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the broker and its epmd, and deletes its directory. */
  @Override
  public void close() {
    if (!owned()) {
      return;
    }
    if (isAlive()) {
      stop();
    }
    destroyQuietly();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
  }

  /** Kills whatever is left (also from the JVM's shutdown hook): the VM, then this node's own epmd. */
  private synchronized void destroyQuietly() {
    if (process != null && process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    try {
      Process epmd = new ProcessBuilder("epmd", "-port", String.valueOf(epmdPort), "-kill").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      epmd.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      LOG.debug("epmd -kill on port {}: {}", epmdPort, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
