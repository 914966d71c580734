package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.bus.BusMessage;
import io.layercache.bus.BusMessageCodec;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.layercache.testsupport.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 hostile messages on the real channel (garbage, forged signatures, unsigned, oversized,
 * replayed, duplicated): none applied, every one counted by reason, nothing thrown, and real
 * messages still flow. Prints the real messages' propagation time with and without the flood.
 */
@ExtendWith(RedisServerExtension.class)
class BusBadInputIT extends RedisStackFixture {

  private static final BusSettings.Signing SIGNING =
      BusSettings.Signing.of("k1", "bad-input-test-secret-0123456789", true);
  private static final int REAL = 300;

  @Test
  void aFloodOfHostileMessagesIsCountedAndDroppedAndRealMessagesStillFlow(RedisServer redis) throws IOException {
    redis.flushAll();
    BusSettings settings = InvalidationBusIT.fastSettings().withSigning(SIGNING);
    Cache<String, String> a = instance().createCache("bad", InvalidationBusIT.withBus(redis, settings));
    Cache<String, String> b = instance().createCache("bad", InvalidationBusIT.withBus(redis, settings));
    a.put("victim", "real");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(b.get("victim")).isEqualTo("real");
      assertThat(layered(b).entryInfo("victim").orElseThrow().layer()).isEqualTo("memory");
    });

    long quiet = propagate(a, b, "quiet-");
    long before = stats(b).rejectedTotal();
    Thread flood = new Thread(() -> flood(redis));
    flood.start();
    long flooded = propagate(a, b, "flooded-");
    await().atMost(Duration.ofSeconds(60)).until(() -> !flood.isAlive());
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(b).rejectedTotal() - before == 10_000);

    BusStatistics after = stats(b);
    System.out.printf("%n[bus bad input] 10,000 hostile messages rejected by reason: %s%n"
        + "  %d real changes propagated in %d ms quiet, %d ms during the flood%n%n",
        after.rejected(), REAL, quiet / 1_000_000, flooded / 1_000_000);
    assertThat(after.rejected().get(BusRejection.FOREIGN) + after.rejected().get(BusRejection.MALFORMED))
        .isGreaterThanOrEqualTo(2_500);
    assertThat(after.rejected().get(BusRejection.BAD_SIGNATURE)).isGreaterThanOrEqualTo(2_500);
    assertThat(after.rejected().get(BusRejection.UNSIGNED)).isEqualTo(2_000);
    assertThat(after.rejected().get(BusRejection.TOO_LARGE)).isEqualTo(500);
    assertThat(after.rejected().get(BusRejection.REPLAYED)).isEqualTo(500);
    assertThat(layered(b).entryInfo("victim").orElseThrow().layer()).as("nothing hostile was applied")
        .isEqualTo("memory");
    assertThat(b.get("victim")).isEqualTo("real");
  }

  /** Writes {@link #REAL} keys on A and returns the nanoseconds until B received every change. */
  private static long propagate(Cache<String, String> a, Cache<String, String> b, String prefix) {
    long received = stats(b).received();
    long start = System.nanoTime();
    for (int i = 0; i < REAL; i++) {
      a.put(prefix + i, "v");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> stats(b).received() - received >= REAL);
    return System.nanoTime() - start;
  }

  private static BusStatistics stats(Cache<String, String> cache) {
    @SuppressWarnings("unchecked")
    LayerCache<String, String> layered = cache.unwrap(LayerCache.class);
    return layered.busStatistics().orElseThrow();
  }

  /** 10,000 messages: 2,500 garbage, 2,500 forged, 2,000 unsigned, 500 oversized, 500 replayed, 2,000 duplicates... */
  private static void flood(RedisServer redis) {
    Random random = new Random(42);
    BusMessageCodec forger = new BusMessageCodec(BusSettings.Signing.of("k1", "not-the-secret-not-the-secret-012", false),
        BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    BusMessageCodec unsigned = new BusMessageCodec(BusSettings.Signing.NONE, BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    BusMessageCodec signer = new BusMessageCodec(SIGNING, 64 << 20);
    byte[] channel = InvalidationBusIT.CHANNEL.getBytes(StandardCharsets.UTF_8);
    byte[] publish = "PUBLISH".getBytes(StandardCharsets.UTF_8);
    try (RespClient client = new RespClient("127.0.0.1", redis.port(), 5_000)) {
      for (int i = 0; i < 10_000; i++) {
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
          // a signed, valid DELETE of an unrelated key, sent once and then 1,999 times again: duplicates
          message = signer.encode(new BusMessage("duplicator", 7, 1, System.currentTimeMillis(),
              BusMessage.Action.DELETE, "other-cache", 0, List.of(), null));
        }
        client.callBytes(publish, channel, message);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BusMessage clear(String source, long sequence) {
    return new BusMessage(source, 1, sequence, System.currentTimeMillis(), BusMessage.Action.CLEAR, "bad", 0, List.of(),
        null);
  }
}
