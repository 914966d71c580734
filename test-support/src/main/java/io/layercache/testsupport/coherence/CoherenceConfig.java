package io.layercache.testsupport.coherence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the configuration file a coherence run's instances read, for a Redis of the tests: the
 * cache {@code coherence} (String keys and values) with a memory and a Redis layer and, unless
 * turned off, the invalidation bus (Redis pub/sub unless {@link #withTransport another}), signed
 * so that loads prime the other instances.
 *
 * @param redisUri  the Redis server
 * @param namespace the Redis key namespace, and the bus channel's prefix
 * @param bus       the invalidation bus on
 * @param heartbeat the bus's heartbeat interval
 * @param reconcile the bus's reconcile interval
 * @param mode      {@code strict} or {@code graceful} (the {@code resilience.mode})
 * @param transport the bus's transport settings, lines inside {@code bus { }}: the Redis channel
 *                  unless {@link #withTransport} names another (NATS, RabbitMQ)
 */
public record CoherenceConfig(String redisUri, String namespace, boolean bus, Duration heartbeat, Duration reconcile,
    String mode, List<String> transport) {

  /** Copies the transport lines. */
  public CoherenceConfig {
    transport = List.copyOf(transport);
  }

  /** A test-only signing secret (at least 32 bytes), so that loads prime the other instances. */
  private static final String SECRET = "coherence-check-secret-0123456789";

  /** Memory + Redis with the signed bus, heartbeats every 500 ms, reconcile every 2 s, strict mode. */
  public static CoherenceConfig of(String redisUri, String namespace) {
    return new CoherenceConfig(redisUri, namespace, true, Duration.ofMillis(500), Duration.ofSeconds(2), "strict",
        List.of("type = redis", "redis.channel = \"" + namespace + ":invalidations\""));
  }

  /** The same without a bus: memory copies are never told of other instances' changes. */
  public CoherenceConfig withoutBus() {
    return new CoherenceConfig(redisUri, namespace, false, heartbeat, reconcile, mode, transport);
  }

  /** The same with these bus intervals. */
  public CoherenceConfig withIntervals(Duration newHeartbeat, Duration newReconcile) {
    return new CoherenceConfig(redisUri, namespace, bus, newHeartbeat, newReconcile, mode, transport);
  }

  /** The same in another resilience mode. */
  public CoherenceConfig withMode(String newMode) {
    return new CoherenceConfig(redisUri, namespace, bus, heartbeat, reconcile, newMode, transport);
  }

  /**
   * The same on another bus transport: {@code lines} go inside {@code bus { }} in place of the
   * Redis channel, e.g. {@code type = nats} and a {@code nats { ... }} block. Each instance's
   * number is in the environment variable {@value CoherenceRun#INSTANCE_VARIABLE}, for names that
   * must differ per instance: {@code durable-name = "c-"${COHERENCE_INSTANCE}}.
   */
  public CoherenceConfig withTransport(String... lines) {
    return new CoherenceConfig(redisUri, namespace, bus, heartbeat, reconcile, mode, List.of(lines));
  }

  /** The HOCON text. */
  public String text() {
    List<String> lines = new ArrayList<>(List.of(
        "layercache.caches.coherence {",
        "  key-type = java.lang.String",
        "  value-type = java.lang.String",
        "  layers = [memory, redis]",
        "  redis { address = \"" + redisUri + "\", namespace = " + namespace + " }",
        "  resilience.mode = " + mode));
    if (bus) {
      lines.addAll(List.of(
          "  bus {",
          "    source = coherence",
          "    heartbeat-interval = " + heartbeat.toMillis() + "ms",
          "    reconcile-interval = " + reconcile.toMillis() + "ms",
          "    signing { key-id = k1, secret = \"" + SECRET + "\", required = true }"));
      transport.forEach(line -> lines.add("    " + line));
      lines.add("  }");
    }
    lines.add("}");
    return String.join("\n", lines) + "\n";
  }

  /** Writes the file; returns it. */
  public Path write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
