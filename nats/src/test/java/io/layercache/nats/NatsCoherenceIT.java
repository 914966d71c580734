package io.layercache.nats;

import io.layercache.testsupport.NatsServer;
import io.layercache.testsupport.NatsServerExtension;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.layercache.testsupport.coherence.CoherenceConfig;
import io.layercache.testsupport.coherence.CoherenceReport;
import io.layercache.testsupport.coherence.CoherenceRun;
import io.layercache.testsupport.coherence.LoadCheck;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coherence checker on three JVMs sharing one real Redis, their memory layers kept coherent by
 * the NATS bus on a real {@code nats-server -js}: core and JetStream (a durable consumer per
 * instance), under the same mixed load as the Redis bus's check. No read may be staler than the
 * bound ({@code coherence.bound-ms}, 500 ms by default, like the Redis bus's check: see its
 * javadoc for why not 50 ms), and every key must end repaired.
 * {@code -Dcoherence.seconds=60} runs the load longer (10 s by default).
 */
@ExtendWith({RedisServerExtension.class, NatsServerExtension.class})
class NatsCoherenceIT {

  private static final Duration BOUND = Duration.ofMillis(Long.getLong("coherence.bound-ms", 500));
  private static final Path LOGS = Path.of("target", "coherence");

  private final RedisServer redis;
  private final NatsServer nats;

  NatsCoherenceIT(RedisServer redis, NatsServer nats) {
    this.redis = redis;
    this.nats = nats;
  }

  @ParameterizedTest
  @ValueSource(strings = {"core", "jetstream"})
  void threeInstancesUnderLoadReadNothingStalerThanTheBoundAndEndRepaired(String mode) {
    Duration seconds = Duration.ofSeconds(Long.getLong("coherence.seconds", 10));
    String name = "coh-nats-" + mode;
    CoherenceConfig config = CoherenceConfig.of(redis.uri(), name).withTransport(
        "type = nats",
        "nats {",
        "  servers = \"" + nats.uri() + "\"",
        "  mode = " + mode,
        "  subject = \"" + name + ".invalidations\"",
        "  jetstream { stream = \"COH_" + mode.toUpperCase(java.util.Locale.ROOT) + "\", durable-name = \"" + name
            + "-\"${" + CoherenceRun.INSTANCE_VARIABLE + "}, storage = memory }",
        "}");

    CoherenceReport report = LoadCheck.run(config, LOGS, name, seconds, BOUND, "NATS " + mode + " bus");

    LoadCheck.requireCoherent(report, seconds);
  }
}
