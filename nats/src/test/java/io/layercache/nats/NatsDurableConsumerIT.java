package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.bus.BusListener;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusTransport;
import io.layercache.layer.SharedResources;
import io.layercache.testsupport.NatsServer;
import io.layercache.testsupport.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JetStream's durable consumers: an instance restarted under its durable name gets what it
 * missed; a message not acknowledged in time comes again; a message that keeps failing stops
 * after max-deliver and is counted; a second instance under the same name is refused; an
 * injected connection outlives the bus.
 */
@ExtendWith(NatsServerExtension.class)
class NatsDurableConsumerIT extends NatsBusFixture {

  private final NatsServer server;

  NatsDurableConsumerIT(NatsServer server) {
    this.server = server;
  }

  @Test
  void anInstanceRestartedUnderItsDurableNameGetsWhatItMissed() {
    BusSettings settings = fastSettings();
    NatsBusSpec specB = spec(server, NatsBusSpec.Mode.JETSTREAM, "b");
    Cache<String, String> a = instance("users", new TapBusFactory.Spec(spec(server, NatsBusSpec.Mode.JETSTREAM, "a"),
        "a-" + id), settings);
    CacheManager managerB = newManager();
    Cache<String, String> b = managerB.createCache("users", config(new TapBusFactory.Spec(specB, "b1-" + id), settings));
    awaitHealthy(a);
    awaitHealthy(b);
    TapBusFactory.Tap tapA = TapBusFactory.tap("a-" + id);

    managerB.close();
    int from = tapA.published.size();
    for (int i = 0; i < 200; i++) {
      a.put("k" + i, "v" + i);
    }
    await().atMost(WITHIN).until(() -> stats(a).queued() == 0 && tapA.published.size() - from >= 200);
    int to = tapA.published.size();

    Cache<String, String> restarted = instance("users", new TapBusFactory.Spec(specB, "b2-" + id), settings);
    TapBusFactory.Tap tapB2 = TapBusFactory.tap("b2-" + id);
    List<java.nio.ByteBuffer> missedWhileAway = tapA.published(from, to);
    await().atMost(WITHIN).until(() -> tapB2.delivered.containsAll(missedWhileAway));
    long missed = missedWhileAway.stream().filter(m -> !tapB2.delivered.contains(m)).count();
    // The replay reaches the new hub as it subscribes, before its caches join: messages for a cache
    // that has not joined yet are counted UNKNOWN_CACHE (its memory layer is empty, nothing to drop).
    await().atMost(WITHIN).untilAsserted(() -> assertThat(stats(restarted).received()
        + stats(restarted).rejected().get(BusRejection.UNKNOWN_CACHE)).as("%s", stats(restarted))
        .isGreaterThanOrEqualTo(200));
    System.out.printf("%n[nats jetstream instance restart] %d messages published while B was away, %d not "
        + "delivered to the restarted B (%d applied, %d before its cache joined)%n%n", to - from, missed,
        stats(restarted).received(), stats(restarted).rejected().get(BusRejection.UNKNOWN_CACHE));
    assertThat(missed).isZero();
  }

  @Test
  void aSecondInstanceUnderTheSameDurableNameIsRefused() {
    NatsBusSpec specB = spec(server, NatsBusSpec.Mode.JETSTREAM, "b");
    Cache<String, String> b = instance("users", specB, fastSettings());
    awaitHealthy(b);

    Cache<String, String> twin = instance("users", specB, fastSettings());

    await().atMost(WITHIN).untilAsserted(() -> assertThat(stats(twin).transportDetail()).contains("already bound"));
    assertThat(stats(twin).transportUp()).isFalse();
    assertThat(stats(b).healthy()).isTrue();
  }

  @Test
  void aMessageThatKeepsFailingStopsAfterMaxDeliverAndIsCounted() throws Exception {
    NatsBusSpec spec = spec(server, NatsBusSpec.Mode.JETSTREAM, "poison");
    spec = new NatsBusSpec(spec.mode(), spec.connection(), spec.subject(), spec.requestTimeout(),
        spec.jetStream().withRedelivery(Duration.ofSeconds(1), 3));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (SharedResources shared = new SharedResources();
        BusTransport transport = new NatsBusFactory().create(spec, shared, getClass().getClassLoader())) {
      transport.subscribe(listener(message -> {
        seen.add(message);
        if (message.equals("poison")) {
          throw new IllegalStateException("cannot apply " + message);
        }
      }));
      transport.publish(bytes("poison"));
      transport.publish(bytes("after"));

      await().atMost(WITHIN).untilAsserted(() ->
          assertThat(transport.health().detail()).contains("1 messages given up after max-deliver"));
      transport.publish(bytes("last"));
      await().atMost(WITHIN).until(() -> seen.contains("last"));
      assertThat(seen.stream().filter("poison"::equals)).hasSize(3);
      assertThat(seen.stream().filter("after"::equals)).hasSize(1);
      assertThat(transport.health().up()).isTrue();
    }
  }

  @Test
  @SuppressWarnings("try") // Connection.close() may throw InterruptedException
  void aMessageNotAcknowledgedWithinAckWaitIsDeliveredAgain() throws Exception {
    NatsBusSpec spec = spec(server, NatsBusSpec.Mode.JETSTREAM, "slow");
    spec = new NatsBusSpec(spec.mode(), spec.connection(), spec.subject(), spec.requestTimeout(),
        spec.jetStream().withRedelivery(Duration.ofSeconds(1), 5));
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    try (SharedResources shared = new SharedResources();
        BusTransport transport = new NatsBusFactory().create(spec, shared, getClass().getClassLoader());
        Connection observer = Nats.connect(server.uri())) {
      transport.subscribe(listener(message -> {
        seen.add(message);
        if (seen.size() == 1) {
          hang(release); // the first delivery hangs past ack-wait
        }
      }));
      transport.publish(bytes("slow"));

      String stream = spec.jetStream().stream();
      String durable = spec.jetStream().durableName();
      await().atMost(WITHIN).until(() -> observer.jetStreamManagement().getConsumerInfo(stream, durable)
          .getRedelivered() >= 1);
      release.countDown();

      await().atMost(WITHIN).until(() -> seen.size() >= 2);
      assertThat(seen).startsWith("slow", "slow");
    }
  }

  @Test
  @SuppressWarnings("try") // Connection.close() may throw InterruptedException
  void anInjectedConnectionIsNeverClosedByTheBus() throws Exception {
    try (Connection application = Nats.connect(server.uri())) {
      NatsBusSpec injected = NatsBusSpec.core(NatsConnectionSpec.injected(application)).withSubject(subject());
      CacheManager managerA = newManager();
      Cache<String, String> a = managerA.createCache("users", config(injected, fastSettings()));
      Cache<String, String> b = instance("users", spec(server, NatsBusSpec.Mode.CORE, "b"), fastSettings());
      awaitHealthy(a);
      awaitHealthy(b);
      a.put("k", "v1");
      warm(b, "k");
      a.put("k", "v2");
      await().atMost(WITHIN).untilAsserted(() -> assertThat(b.get("k")).isEqualTo("v2"));

      managerA.close();

      assertThat(application.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      application.publish(subject() + ".still-mine", bytes("x"));
      application.flush(Duration.ofSeconds(2));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void hang(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static BusListener listener(java.util.function.Consumer<String> onMessage) {
    return new BusListener() {
      @Override
      public void onMessage(byte[] message) {
        onMessage.accept(new String(message, StandardCharsets.UTF_8));
      }

      @Override
      public void onInterrupted(String reason) {
        // not expected from a durable transport
      }
    };
  }
}
