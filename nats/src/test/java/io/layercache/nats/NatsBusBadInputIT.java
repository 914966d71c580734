package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.bus.BusMessage;
import io.layercache.bus.BusMessageCodec;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.testsupport.NatsServer;
import io.layercache.testsupport.NatsServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.cache.Cache;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile messages on the real subject, in both modes (in JetStream they are stored and delivered
 * like any other): garbage, forged signatures, unsigned while signing is required, oversized and
 * replayed. Every one is counted by reason, none is applied, and real messages still flow.
 */
@ExtendWith(NatsServerExtension.class)
class NatsBusBadInputIT extends NatsBusFixture {

  private static final BusSettings.Signing SIGNING =
      BusSettings.Signing.of("k1", "bad-input-test-secret-0123456789", true);

  private final NatsServer server;

  NatsBusBadInputIT(NatsServer server) {
    this.server = server;
  }

  @ParameterizedTest
  @EnumSource(NatsBusSpec.Mode.class)
  void hostileMessagesAreCountedAndNoneIsApplied(NatsBusSpec.Mode mode) {
    BusSettings settings = fastSettings().withSigning(SIGNING);
    Cache<String, String> a = instance("bad", spec(server, mode, "a"), settings);
    Cache<String, String> b = instance("bad", spec(server, mode, "b"), settings);
    awaitHealthy(a);
    awaitHealthy(b);
    a.put("victim", "real");
    await().atMost(WITHIN).until(() -> stats(b).received() >= 1); // A's own invalidation is in, before warming
    warm(b, "victim");
    long before = stats(b).rejectedTotal();

    server.publishRaw(subject(), hostile());

    await().atMost(WITHIN).until(() -> stats(b).rejectedTotal() - before == 1_000);
    BusStatistics after = stats(b);
    System.out.printf("%n[nats %s bad input] 1,000 hostile messages rejected by reason: %s%n%n", mode,
        after.rejected());
    assertThat(after.rejected().get(BusRejection.FOREIGN) + after.rejected().get(BusRejection.MALFORMED))
        .isGreaterThanOrEqualTo(300);
    assertThat(after.rejected().get(BusRejection.BAD_SIGNATURE)).isGreaterThanOrEqualTo(300);
    assertThat(after.rejected().get(BusRejection.UNSIGNED)).isEqualTo(200);
    assertThat(after.rejected().get(BusRejection.TOO_LARGE)).isEqualTo(50);
    assertThat(after.rejected().get(BusRejection.REPLAYED)).isEqualTo(50);
    assertThat(layerOf(b, "victim")).as("nothing hostile was applied").hasValue("memory");
    assertThat(after.repairs()).as("no hostile message caused a repair").isZero();

    a.put("victim", "real-2");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.get("victim")).isEqualTo("real-2"));
  }

  /** 300 garbage, 400 forged, 200 unsigned, 50 oversized, 50 replayed (in that order of kinds, mixed). */
  private static List<byte[]> hostile() {
    Random random = new Random(42);
    BusMessageCodec forger = new BusMessageCodec(BusSettings.Signing.of("k1", "not-the-secret-not-the-secret-012",
        false), BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    BusMessageCodec unsigned = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    BusMessageCodec signer = new BusMessageCodec(SIGNING, 64 << 20);
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      if (i < 300) {
        byte[] garbage = new byte[1 + random.nextInt(500)];
        random.nextBytes(garbage);
        messages.add(garbage);
      } else if (i < 700) {
        messages.add(forger.encode(clear("forger", i)));
      } else if (i < 900) {
        messages.add(unsigned.encode(clear("unsigned", i)));
      } else if (i < 950) {
        messages.add(new byte[BusSettings.DEFAULT_MAX_MESSAGE_BYTES + 1]);
      } else {
        messages.add(signer.encode(new BusMessage("replayer", 9, i, System.currentTimeMillis() - 3_600_000,
            BusMessage.Action.CLEAR, "bad", 0, List.of(), null)));
      }
    }
    return messages;
  }

  private static BusMessage clear(String source, long sequence) {
    return new BusMessage(source, 1, sequence, System.currentTimeMillis(), BusMessage.Action.CLEAR, "bad", 0,
        List.of(), null);
  }
}
