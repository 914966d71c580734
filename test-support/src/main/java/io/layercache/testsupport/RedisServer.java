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
 * </ul>
 */
public final class RedisServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

  private final int port;
  private final Path directory;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(int port, Path directory, List<String> extraArgs) {
    this.port = port;
    this.directory = directory;
    this.extraArgs = extraArgs;
  }

  /** Starts a standalone server on a free port. */
  public static RedisServer start() {
    return start(List.of());
  }

  /** Starts a server with extra {@code redis-server} arguments (e.g. cluster mode). */
  public static RedisServer start(List<String> extraArgs) {
    boolean cluster = extraArgs.contains("--cluster-enabled");
    int port = FreePorts.find(cluster);
    try {
      RedisServer server = new RedisServer(port, Files.createTempDirectory("redis-" + port + "-"), List.copyOf(extraArgs));
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

  /** The address as a Redis URI, {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
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
    try (RespClient client = new RespClient("127.0.0.1", port, (int) timeout.toMillis())) {
      return client.call(args);
    } catch (IOException e) {
      throw new UncheckedIOException("redis " + port + " " + String.join(" ", args), e);
    }
  }

  /** Stores raw bytes under a key, bypassing every client under test. */
  public void setRaw(String key, byte[] value) {
    try (RespClient client = new RespClient("127.0.0.1", port, 5_000)) {
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
    List<String> command = new ArrayList<>(List.of(binary(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--enable-debug-command", "local", "--daemonize", "no",
        "--dir", directory.toString(), "--logfile", directory.resolve("redis.log").toString()));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(directory.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + command.get(0) + ": " + e.getMessage()
          + ". Install it (Debian: apt-get install redis-server) or set REDIS_SERVER_BIN", e);
    }
    awaitPing();
    LOG.info("redis-server pid={} listening on 127.0.0.1:{}", process.pid(), port);
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + directory);
      }
      try (RespClient client = new RespClient("127.0.0.1", port, 1_000)) {
        if ("PONG".equals(client.call("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 15 s", last);
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

  static String binary() {
    String configured = System.getenv("REDIS_SERVER_BIN");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "redis-server"))) {
        return Path.of(dir, "redis-server").toString();
      }
    }
    throw new IllegalStateException("redis-server was not found on the PATH. Install it (Debian: "
        + "apt-get install redis-server; scripts/test-all.sh does this when run as root), "
        + "set REDIS_SERVER_BIN, or point REDIS_URL at a server");
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
