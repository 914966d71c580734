package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.layercache.LayerCache;
import io.layercache.bus.BusListener;
import io.layercache.bus.BusSettings;
import io.layercache.testing.CacheInstances;
import io.layercache.testsupport.RabbitMqServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;

/**
 * An instance stops while another one writes, and starts again. With a durable queue it gets
 * what it missed; a message it was applying when it died is delivered again.
 */
class RabbitMqInstanceRestartIT extends RabbitMqFixture {

  private static final BusSettings.Signing SIGNING =
      BusSettings.Signing.of("k1", "restart-test-secret-0123456789abc", true);
  private static final int LOADS = 50;

  RabbitMqInstanceRestartIT(RabbitMqServer broker) {
    super(broker);
  }

  @Test
  void aRestartedInstanceGetsWhatItMissedInDurableMode() throws Exception {
    BusSettings settings = steadySettings("it").withSigning(SIGNING);
    RabbitMqBusSpec specOfB = durable("b");
    LayerCache<String, String> a = newInstance("reports", memoryAndRemote(durable("a"), settings));
    CacheManager firstB = newManager();
    LayerCache<String, String> b = CacheInstances.layered(firstB.createCache("reports",
        memoryAndRemote(specOfB, settings)));
    awaitHealthy(List.of(a, b));
    firstB.close();

    // Each load on A sends the loaded value along (priming): B's queue keeps them meanwhile.
    for (int i = 0; i < LOADS; i++) {
      a.get("report-" + i, key -> "loaded " + key);
    }
    await().atMost(WITHIN).until(() -> waiting("b") >= LOADS);
    LayerCache<String, String> restarted = newInstance("reports", memoryAndRemote(specOfB, settings));

    await().atMost(WITHIN).untilAsserted(() -> {
      for (int i = 0; i < LOADS; i++) {
        assertThat(layerOf(restarted, "report-" + i)).as("report-" + i).hasValue("memory");
      }
    });
    assertThat(stats(restarted).primed()).isGreaterThanOrEqualTo(LOADS);
    assertThat(restarted.get("report-7", key -> "loaded again")).isEqualTo("loaded report-7");
  }

  @Test
  void aRestartedInstanceMissesWhatWasSentMeanwhileAtMostOnce() {
    BusSettings settings = steadySettings("it").withSigning(SIGNING);
    LayerCache<String, String> a = newInstance("reports", memoryAndRemote(atMostOnce(), settings));
    CacheManager firstB = newManager();
    LayerCache<String, String> b = CacheInstances.layered(firstB.createCache("reports",
        memoryAndRemote(atMostOnce(), settings)));
    awaitHealthy(List.of(a, b));
    firstB.close();

    for (int i = 0; i < LOADS; i++) {
      a.get("report-" + i, key -> "loaded " + key);
    }
    long published = stats(a).published();
    await().atMost(WITHIN).until(() -> stats(a).queued() == 0 && stats(a).published() >= published);
    LayerCache<String, String> restarted = newInstance("reports", memoryAndRemote(atMostOnce(), settings));
    awaitHealthy(List.of(restarted));

    assertThat(stats(restarted).primed()).isZero();
    assertThat(layerOf(restarted, "report-7")).hasValue("in-memory-remote");
  }

  @Test
  void aMessageWhoseInstanceDiedWhileApplyingItIsDeliveredAgain() throws Exception {
    RabbitMqBusSpec spec = durable("dies");
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.url());
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Connection doomed = factory.newConnection("instance that dies");
    RabbitMqBusTransport first = transport(spec.withConnection(RabbitMqConnection.injected(doomed)));
    first.subscribe(new Listener(new CopyOnWriteArrayList<>()) {
      @Override
      public void onMessage(byte[] message) {
        applying.countDown();
        awaitQuietly(release);
      }
    });
    RabbitMqBusTransport sender = transport(durable("sender")); // publishes only: its queue is never declared
    try {
      await().atMost(WITHIN).until(() -> sender.health().up());
      sender.publish("first".getBytes());
      assertThat(applying.await(10, TimeUnit.SECONDS)).isTrue();

      doomed.abort(); // the instance dies before onMessage returned: no acknowledgement was sent
      release.countDown();
      List<String> delivered = new CopyOnWriteArrayList<>();
      RabbitMqBusTransport second = transport(spec);
      second.subscribe(new Listener(delivered));
      sender.publish("second".getBytes());

      await().atMost(WITHIN).until(() -> delivered.size() >= 2);
      assertThat(delivered).containsExactly("first", "second");
      second.close();
    } finally {
      release.countDown();
      first.close();
      sender.close();
      connectors.forEach(AmqpConnector::close);
    }
  }

  private final List<AmqpConnector> connectors = new CopyOnWriteArrayList<>();

  private RabbitMqBusTransport transport(RabbitMqBusSpec spec) {
    AmqpConnector connector = spec.connection() instanceof RabbitMqConnection.Injected injected
        ? AmqpConnector.borrowing(injected.connection())
        : AmqpConnector.owning((RabbitMqConnection.Url) spec.connection());
    connectors.add(connector);
    return new RabbitMqBusTransport(spec, connector, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /** Records what it is handed, as text. */
  private static class Listener implements BusListener {
    private final List<String> messages;

    Listener(List<String> messages) {
      this.messages = messages;
    }

    @Override
    public void onMessage(byte[] message) {
      messages.add(new String(message));
    }

    @Override
    public void onInterrupted(String reason) {
      messages.add("interrupted: " + reason);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
