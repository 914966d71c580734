package io.layercache.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * A real {@code nats-server} with JetStream ({@code -js}) on a free loopback port, with its own
 * store directory, for integration and fault tests.
 *
 * <ul>
 *   <li>Fault controls act on the real process: {@link #kill()} (SIGKILL), {@link #stop()}
 *       (SIGTERM: a clean shutdown that flushes the store), {@link #restart()} (same port, same
 *       store: file-stored streams and consumers come back, memory-stored ones do not).
 *   <li>The binary is {@code nats-server} from the PATH (Debian package {@code nats-server}), or
 *       {@code $NATS_SERVER_BIN}. When it is missing the test fails saying how to install it: a
 *       missing server never skips a test.
 *   <li>{@link #startOrExternal()} uses the server named by {@code NATS_URL} when it is set (it
 *       cannot be killed or restarted); fault tests call {@link #start()}, which always starts
 *       a server of their own.
 * </ul>
 */
public final class NatsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NatsServer.class);
  private static final Duration READY_WITHIN = Duration.ofSeconds(20);

  private final String host;
  private final int port;
  private final int monitorPort;
  private final Path directory;
  private final List<String> extraArgs;
  private Process process;

  private NatsServer(String host, int port, int monitorPort, Path directory, List<String> extraArgs) {
    this.host = host;
    this.port = port;
    this.monitorPort = monitorPort;
    this.directory = directory;
    this.extraArgs = extraArgs;
  }

  /** Starts a server of this test's own, with JetStream, on a free port. */
  public static NatsServer start() {
    return start(List.of());
  }

  /**
   * Starts a server of this test's own with extra {@code nats-server} arguments, e.g.
   * {@code --auth TOKEN} or {@code --user U --pass P} (raw publishing then needs no auth: don't use it).
   */
  public static NatsServer start(List<String> extraArgs) {
    int port = FreePorts.find(false);
    int monitor = FreePorts.find(false);
    try {
      NatsServer server = new NatsServer("127.0.0.1", port, monitor, Files.createTempDirectory("nats-server-" + port + "-"),
          List.copyOf(extraArgs));
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server of {@code NATS_URL} when it is set (not killable), else {@link #start()}. */
  public static NatsServer startOrExternal() {
    String url = System.getenv("NATS_URL");
    if (url == null || url.isBlank()) {
      return start();
    }
    URI uri = URI.create(url.split(",")[0].trim());
    return new NatsServer(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort(), -1, null, List.of());
  }

  /** The server's URL: {@code nats://127.0.0.1:PORT}. */
  public String uri() {
    return "nats://" + host + ":" + port;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** True while this test's server process runs. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Kills the process with SIGKILL, as a crash would: nothing is flushed, connections drop at once. */
  public void kill() {
    requireOwned().destroyForcibly();
    await(process);
  }

  /** Stops the process with SIGTERM, a clean shutdown: the store is flushed, clients are disconnected. */
  public void stop() {
    requireOwned().destroy();
    await(process);
  }

  /** Starts the process again on the same port with the same store directory. */
  public void restart() {
    if (requireOwned().isAlive()) {
      kill();
    }
    launch();
  }

  /**
   * Publishes raw bytes on a subject through a plain protocol connection of its own, bypassing
   * every client under test; returns once the server has read them (PING, PONG).
   */
  public void publishRaw(String subject, List<byte[]> messages) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(10_000);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      expectLine(in, "INFO");
      out.write("CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1}\r\n".getBytes(StandardCharsets.US_ASCII));
      for (byte[] message : messages) {
        out.write(("PUB " + subject + " " + message.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      expectLine(in, "PONG");
    } catch (IOException e) {
      throw new UncheckedIOException("raw publish to " + uri(), e);
    }
  }

  /** Reads lines until one starts with {@code prefix}; fails on {@code -ERR}. */
  private static void expectLine(InputStream in, String prefix) throws IOException {
    while (true) {
      String line = readLine(in);
      if (line.startsWith("-ERR")) {
        throw new IOException("nats-server answered " + line);
      }
      if (line.startsWith(prefix)) {
        return;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed by nats-server");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).trim();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      await(process);
    }
    if (directory != null) {
      deleteQuietly(directory);
    }
  }

  private Process requireOwned() {
    if (process == null) {
      throw new IllegalStateException("the NATS_URL server " + uri() + " is not this test's to stop; fault tests use "
          + "NatsServer.start()");
    }
    return process;
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(binary(), "-js", "-a", host, "-p", String.valueOf(port),
        "-m", String.valueOf(monitorPort), "-n", "layercache-test-" + port, "-sd", directory.resolve("store").toString()));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("nats-server.log").toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + command.get(0) + ": " + e.getMessage()
          + ". Install it (Debian: apt-get install nats-server) or set NATS_SERVER_BIN", e);
    }
    Poll.until(READY_WITHIN, Duration.ofMillis(50), "nats-server on port " + port + " with JetStream ready",
        this::healthy);
    LOG.info("nats-server pid={} listening on {}:{} (store {})", process.pid(), host, port, directory);
  }

  /** The monitoring endpoint's verdict, which includes JetStream having recovered its store. */
  private boolean healthy() {
    if (!process.isAlive()) {
      throw new IllegalStateException("nats-server exited with " + process.exitValue() + ": " + tail());
    }
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + host + ":" + monitorPort + "/healthz")).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("nats-server.log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static void await(Process process) {
    try {
      process.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String binary() {
    String configured = System.getenv("NATS_SERVER_BIN");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "nats-server"))) {
        return Path.of(dir, "nats-server").toString();
      }
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(dir, "nats-server"))) {
        return Path.of(dir, "nats-server").toString();
      }
    }
    throw new IllegalStateException("nats-server was not found on the PATH. Install it (Debian: apt-get install "
        + "nats-server; scripts/test-all.sh does this when run as root), set NATS_SERVER_BIN, or point NATS_URL at a "
        + "server");
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
