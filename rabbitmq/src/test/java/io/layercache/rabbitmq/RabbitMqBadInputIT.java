package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.layercache.LayerCache;
import io.layercache.bus.BusMessage;
import io.layercache.bus.BusMessageCodec;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.testsupport.RabbitMqServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile and repeated messages published straight to the exchange, beside two real instances:
 * none is applied, every one is counted by reason, nothing is thrown, real messages still flow,
 * and a message delivered twice is applied once.
 */
class RabbitMqBadInputIT extends RabbitMqFixture {

  private static final BusSettings.Signing SIGNING =
      BusSettings.Signing.of("k1", "bad-input-test-secret-0123456789", true);
  private static final int HOSTILE = 10_000;

  RabbitMqBadInputIT(RabbitMqServer broker) {
    super(broker);
  }

  @Test
  void aFloodOfHostileMessagesIsCountedAndDroppedAndRealMessagesStillFlow() throws Exception {
    // Default heartbeats: B's own come back behind the flood, and must not look lost meanwhile.
    BusSettings settings = BusSettings.defaults("it").withSigning(SIGNING);
    LayerCache<String, String> a = newInstance("bad", memoryAndRemote(durable("a"), settings));
    LayerCache<String, String> b = newInstance("bad", memoryAndRemote(durable("b"), settings));
    awaitHealthy(List.of(a, b));
    a.asJCache().put("victim", "real");
    warm(b, "victim");
    long before = stats(b).rejectedTotal();
    long receivedBefore = stats(b).received();
    long repairsBefore = stats(b).repairs();

    long start = System.nanoTime();
    try (Channel channel = admin().createChannel()) {
      flood(channel);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> stats(b).rejectedTotal() - before >= HOSTILE);
    long millis = (System.nanoTime() - start) / 1_000_000;
    a.asJCache().put("after", "flood");
    await().atMost(WITHIN).until(() -> stats(b).received() > receivedBefore);

    BusStatistics after = stats(b);
    System.out.printf("%n[rabbitmq bad input] %,d hostile messages published and rejected in %d ms: %s; repairs %d%n%n",
        HOSTILE, millis, after.rejected(), after.repairs() - repairsBefore);
    assertThat(after.rejectedTotal() - before).isEqualTo(HOSTILE);
    assertThat(after.rejected().get(BusRejection.FOREIGN) + after.rejected().get(BusRejection.MALFORMED))
        .isGreaterThanOrEqualTo(2_500);
    assertThat(after.rejected().get(BusRejection.BAD_SIGNATURE)).isEqualTo(2_500);
    assertThat(after.rejected().get(BusRejection.UNSIGNED)).isEqualTo(2_000);
    assertThat(after.rejected().get(BusRejection.TOO_LARGE)).isEqualTo(500);
    assertThat(after.rejected().get(BusRejection.REPLAYED)).isEqualTo(500);
    assertThat(after.rejected().get(BusRejection.DUPLICATE)).isEqualTo(1_999);
    assertThat(after.received() - receivedBefore).as("only the real message was applied").isEqualTo(1);
    if (after.repairs() == repairsBefore) {
      assertThat(layerOf(b, "victim")).as("nothing hostile was applied").hasValue("memory");
    }
    assertThat(b.asJCache().get("victim")).isEqualTo("real");
    assertThat(stats(b).healthy()).isTrue();
  }

  @Test
  void aMessageDeliveredTwiceIsAppliedOnce() throws Exception {
    BusSettings settings = steadySettings("it").withSigning(SIGNING);
    LayerCache<String, String> a = newInstance("twice", memoryAndRemote(durable("a"), settings));
    LayerCache<String, String> b = newInstance("twice", memoryAndRemote(durable("b"), settings));
    awaitHealthy(List.of(a, b));
    a.asJCache().put("k", "v1");
    warm(b, "k");
    try (Channel channel = admin().createChannel()) {
      String copies = channel.queueDeclare().getQueue();
      channel.queueBind(copies, exchange, "");

      a.asJCache().put("k", "v2");

      await().atMost(WITHIN).untilAsserted(() -> assertThat(layerOf(b, "k")).hasValue("in-memory-remote"));
      byte[] delete = firstChange(channel, copies);
      warm(b, "k");
      channel.basicPublish(exchange, "", null, delete);
    }

    await().atMost(WITHIN).until(() -> stats(b).rejected().get(BusRejection.DUPLICATE) == 1);
    assertThat(layerOf(b, "k")).as("the second delivery changed nothing").hasValue("memory");
    assertThat(b.asJCache().get("k")).isEqualTo("v2");
  }

  /** The first message in {@code queue} that is not a heartbeat: the DELETE of A's put, as B received it. */
  private static byte[] firstChange(Channel channel, String queue) throws Exception {
    BusMessageCodec reader = new BusMessageCodec(SIGNING, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    while (true) {
      GetResponse response = await().atMost(WITHIN).until(() -> channel.basicGet(queue, true), r -> r != null);
      var decoded = reader.decode(response.getBody());
      if (decoded instanceof BusMessageCodec.Result.Accepted accepted
          && accepted.message().action() == BusMessage.Action.DELETE) {
        return response.getBody();
      }
    }
  }

  /** 2,500 garbage, 2,500 forged, 2,000 unsigned, 500 oversized, 500 replayed, one message and 1,999 copies. */
  private void flood(Channel channel) throws Exception {
    Random random = new Random(42);
    BusMessageCodec forger = new BusMessageCodec(BusSettings.Signing.of("k1", "not-the-secret-not-the-secret-012",
        false), BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    BusMessageCodec unsigned = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    BusMessageCodec signer = new BusMessageCodec(SIGNING, 64 << 20);
    for (int i = 0; i < HOSTILE; i++) {
      byte[] message;
      if (i < 2_500) {
        message = new byte[1 + random.nextInt(500)];
        random.nextBytes(message);
      } else if (i < 5_000) {
        message = forger.encode(clear("forger", i));
      } else if (i < 7_000) {
        message = unsigned.encode(clear("unsigned", i));
      } else if (i < 7_500) {
        message = new byte[BusSettings.DEFAULT_MAX_MESSAGE_BYTES + 1];
      } else if (i < 8_000) {
        message = signer.encode(new BusMessage("replayer", 9, i, System.currentTimeMillis() - 3_600_000,
            BusMessage.Action.CLEAR, "bad", 0, List.of(), null));
      } else {
        message = signer.encode(new BusMessage("duplicator", 7, 1, System.currentTimeMillis(),
            BusMessage.Action.DELETE, "other-cache", 0, List.of("x".getBytes(StandardCharsets.UTF_8)), null));
      }
      channel.basicPublish(exchange, "", null, message);
    }
  }

  private static BusMessage clear(String source, long sequence) {
    return new BusMessage(source, 1, sequence, System.currentTimeMillis(), BusMessage.Action.CLEAR, "bad", 0, List.of(),
        null);
  }
}
