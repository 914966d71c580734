package io.layercache.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process on a free loopback port, for integration and fault tests.
 *
 * <ul>
 *   <li>No persistence ({@code --save "" --appendonly no}): a restart comes back empty, like a
 *       crashed cache server.
 *   <li>{@code DEBUG} is enabled for local connections so tests can stall the server.
 *   <li>Fault controls act on the real process: {@link #kill()} (SIGKILL), {@link #pause()}
 *       (SIGSTOP), {@link #resume()} (SIGCONT), {@link #stall(Duration)} ({@code DEBUG SLEEP}).
 *   <li>The binary is {@code redis-server} from the PATH, or {@code $REDIS_SERVER_BIN}. When it is
 *       missing the test fails with a message saying how to install it: a missing server never
 *       skips a test.
 *   <li>The same class runs a Sentinel ({@code redis-sentinel} of the Debian package, or
 *       {@code $REDIS_SENTINEL_BIN}; see {@link RedisSentinel}) and a server listening on a TLS
 *       port only (see {@link RedisTls}), whose control connections then speak TLS too.
 * </ul>
 */
public final class RedisServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

  /** What runs: the data server or a Sentinel, each from its own Debian package. */
  enum Flavor {
    SERVER("redis-server", "REDIS_SERVER_BIN", "redis-server", "redis.conf"),
    SENTINEL("redis-sentinel", "REDIS_SENTINEL_BIN", "redis-sentinel", "sentinel.conf");

    final String binary;
    final String variable;
    final String debianPackage;
    final String configFile;

    Flavor(String binary, String variable, String debianPackage, String configFile) {
      this.binary = binary;
      this.variable = variable;
      this.debianPackage = debianPackage;
      this.configFile = configFile;
    }
  }

  private final Flavor flavor;
  private final int port;
  private final Path directory;
  private final List<String> extraArgs;
  /** The control connections' TLS context; null for a plain port. */
  private final SSLContext tls;
  private Process process;

  private RedisServer(Flavor flavor, int port, Path directory, List<String> extraArgs, SSLContext tls) {
    this.flavor = flavor;
    this.port = port;
    this.directory = directory;
    this.extraArgs = extraArgs;
    this.tls = tls;
  }

  /** Starts a standalone server on a free port. */
  public static RedisServer start() {
    return start(List.of());
  }

  /** Starts a server with extra {@code redis-server} arguments (e.g. cluster mode). */
  public static RedisServer start(List<String> extraArgs) {
    return start(Flavor.SERVER, List.of(), extraArgs, null);
  }

  /**
   * Starts a Sentinel with these configuration lines ({@code sentinel monitor …}); they go to a
   * file, as Sentinel requires one it can rewrite with what it learns.
   */
  static RedisServer startSentinel(List<String> configLines) {
    return start(Flavor.SENTINEL, configLines, List.of(), null);
  }

  /**
   * Starts a server listening on a TLS port only ({@code --port 0 --tls-port PORT} plus the
   * given {@code --tls-*} arguments); the harness's own connections use {@code control}.
   */
  static RedisServer startTls(List<String> tlsArgs, SSLContext control) {
    return start(Flavor.SERVER, List.of(), tlsArgs, control);
  }

  private static RedisServer start(Flavor flavor, List<String> configLines, List<String> extraArgs, SSLContext tls) {
    boolean cluster = extraArgs.contains("--cluster-enabled");
    int port = FreePorts.find(cluster);
    try {
      Path directory = Files.createTempDirectory(flavor.binary + "-" + port + "-");
      Files.write(directory.resolve(flavor.configFile), configLines);
      RedisServer server = new RedisServer(flavor, port, directory, List.copyOf(extraArgs), tls);
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The address as a Redis URI: {@code redis://127.0.0.1:PORT}, or {@code rediss://} on a TLS port. */
  public String uri() {
    return (tls == null ? "redis://" : "rediss://") + "127.0.0.1:" + port;
  }

  /** The process id, for signals. */
  public long pid() {
    return process.pid();
  }

  /** True while the process runs (a paused process is alive). */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the process with SIGKILL, as a crash would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the process again on the same port, empty. */
  public void restart() {
    if (isAlive()) {
      kill();
    }
    launch();
  }

  /** Freezes the process with SIGSTOP: connections stay open and nothing answers. */
  public void pause() {
    signal("STOP");
  }

  /** Thaws a paused process with SIGCONT. */
  public void resume() {
    signal("CONT");
  }

  /** Makes the server stall every client for {@code duration} ({@code DEBUG SLEEP}). */
  public void stall(Duration duration) {
    Thread sleeper = new Thread(() -> {
      try {
        command(Duration.ofSeconds(30), "DEBUG", "SLEEP", String.format("%.3f", duration.toMillis() / 1000.0));
      } catch (RuntimeException e) {
        LOG.debug("DEBUG SLEEP ended with {}", e.toString());
      }
    }, "redis-stall-" + port);
    sleeper.setDaemon(true);
    sleeper.start();
  }

  /** Sends one command and returns its reply (see {@link RespClient#call}). */
  public Object command(String... args) {
    return command(Duration.ofSeconds(5), args);
  }

  /** Sends one command with a reply timeout. */
  public Object command(Duration timeout, String... args) {
    try (RespClient client = new RespClient("127.0.0.1", port, (int) timeout.toMillis(), tls)) {
      return client.call(args);
    } catch (IOException e) {
      throw new UncheckedIOException(flavor.binary + " " + port + " " + String.join(" ", args), e);
    }
  }

  /** Stores raw bytes under a key, bypassing every client under test. */
  public void setRaw(String key, byte[] value) {
    try (RespClient client = new RespClient("127.0.0.1", port, 5_000, tls)) {
      client.setBytes(key, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Publishes raw bytes on a pub/sub channel, bypassing every client under test; returns the receivers. */
  public long publishRaw(String channel, byte[] message) {
    try (RespClient client = new RespClient("127.0.0.1", port, 5_000)) {
      return (Long) client.callBytes("PUBLISH".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          channel.getBytes(java.nio.charset.StandardCharsets.UTF_8), message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes every key of every database. */
  public void flushAll() {
    command("FLUSHALL");
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      resume();
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteQuietly(directory);
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(binary(flavor), directory.resolve(flavor.configFile).toString()));
    if (tls == null) {
      command.addAll(List.of("--port", String.valueOf(port)));
    } else {
      command.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port)));
    }
    command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--enable-debug-command", "local", "--daemonize", "no",
        "--dir", directory.toString(), "--logfile", directory.resolve("redis.log").toString()));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(directory.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + command.get(0) + ": " + e.getMessage()
          + ". Install it (Debian: apt-get install " + flavor.debianPackage + ") or set " + flavor.variable, e);
    }
    awaitPing();
    LOG.info("{} pid={} listening on 127.0.0.1:{}{}", flavor.binary, process.pid(), port, tls == null ? "" : " (TLS)");
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(flavor.binary + " exited with " + process.exitValue() + ": "
            + tail(directory.resolve("stdout.log")) + tail(directory.resolve("redis.log")) + "(" + directory + ")");
      }
      try (RespClient client = new RespClient("127.0.0.1", port, 1_000, tls)) {
        if ("PONG".equals(client.call("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException(flavor.binary + " on port " + port + " did not answer PING within 15 s", last);
  }

  /** The last lines a failed start wrote (e.g. "Bad directive" from a build without TLS). */
  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())) + " ";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String binary(Flavor flavor) {
    String configured = System.getenv(flavor.variable);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, flavor.binary))) {
        return Path.of(dir, flavor.binary).toString();
      }
    }
    throw new IllegalStateException(flavor.binary + " was not found on the PATH. Install it (Debian: "
        + "apt-get install " + flavor.debianPackage + "; scripts/test-all.sh does this when run as root)"
        + " or set " + flavor.variable + (flavor == Flavor.SERVER ? ", or point REDIS_URL at a server" : ""));
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
