package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.bus.BusSettings;
import io.layercache.testsupport.RabbitMqServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How fast one instance's changes get through, in both deliveries: each publish waits for the
 * broker's confirm (in durable mode, for the message to be on disk), one at a time, so this is the
 * most invalidations per second an instance can send. Prints the figure; asserts only that every
 * change arrived once.
 */
class RabbitMqPublishRateIT extends RabbitMqFixture {

  private static final int CHANGES = 2_000;

  RabbitMqPublishRateIT(RabbitMqServer broker) {
    super(broker);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyChangeOfABurstArrivesOnce(Mode mode) {
    BusSettings settings = BusSettings.defaults("it");
    LayerCache<String, String> a = newInstance("burst", memoryOnly(spec(mode, 0), settings));
    LayerCache<String, String> b = newInstance("burst", memoryOnly(spec(mode, 1), settings));
    awaitHealthy(List.of(a, b));

    long start = System.nanoTime();
    for (int i = 0; i < CHANGES; i++) {
      a.asJCache().put("key-" + i, "v");
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> stats(b).received() >= CHANGES);
    long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);

    System.out.printf("%n[rabbitmq publish rate, %s] %,d changes from one instance applied by another in %,d ms: "
        + "%,d per second%n%n", mode, CHANGES, millis, CHANGES * 1_000L / millis);
    assertThat(stats(b).received()).isEqualTo(CHANGES);
    assertThat(stats(b).gaps()).isZero();
  }
}
