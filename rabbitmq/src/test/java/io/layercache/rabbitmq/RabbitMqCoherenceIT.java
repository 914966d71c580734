package io.layercache.rabbitmq;

import io.layercache.testsupport.RabbitMqServer;
import io.layercache.testsupport.RabbitMqServerExtension;
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
 * the RabbitMQ bus on a real {@code rabbitmq-server}: at most once (a server-named queue per
 * instance) and durable (a named durable queue per instance), under the same mixed load as the Redis bus's check. No read may be staler than the
 * bound ({@code coherence.bound-ms}, 500 ms by default, like the Redis bus's check: see its
 * javadoc for why not 50 ms; four times that in durable mode, where each batch of messages waits
 * for the broker's disk before the next leaves: measured at load averages of 16 to 21 on two
 * cores, the durable runs' worst reads were 388 to 559 ms stale), and every key must end repaired.
 * {@code -Dcoherence.seconds=60} runs the load longer (10 s by default).
 */
@ExtendWith({RedisServerExtension.class, RabbitMqServerExtension.class})
class RabbitMqCoherenceIT {

  private static final Duration BOUND = Duration.ofMillis(Long.getLong("coherence.bound-ms", 500));
  private static final Path LOGS = Path.of("target", "coherence");

  private final RedisServer redis;
  private final RabbitMqServer broker;

  RabbitMqCoherenceIT(RedisServer redis, RabbitMqServer broker) {
    this.redis = redis;
    this.broker = broker;
  }

  @ParameterizedTest
  @ValueSource(strings = {"at-most-once", "durable"})
  void threeInstancesUnderLoadReadNothingStalerThanTheBoundAndEndRepaired(String mode) {
    Duration seconds = Duration.ofSeconds(Long.getLong("coherence.seconds", 10));
    String name = "coh-rabbitmq-" + mode;
    CoherenceConfig config = CoherenceConfig.of(redis.uri(), name).withTransport(
        "type = rabbitmq",
        "rabbitmq {",
        "  url = \"" + broker.url() + "\"",
        "  exchange = \"" + name + "\"",
        "  durable-invalidation-mode = " + mode.equals("durable"),
        "  queue-name = " + (mode.equals("durable") ? "\"" + name + "-\"${" + CoherenceRun.INSTANCE_VARIABLE + "}" : "null"),
        "}");
    Duration bound = mode.equals("durable") ? BOUND.multipliedBy(4) : BOUND;

    CoherenceReport report = LoadCheck.run(config, LOGS, name, seconds, bound, "RabbitMQ " + mode + " bus");

    LoadCheck.requireCoherent(report, seconds);
  }
}
