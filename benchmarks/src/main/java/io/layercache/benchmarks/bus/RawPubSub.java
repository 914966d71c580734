package io.layercache.benchmarks.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.LongCodec;
import org.redisson.config.Config;

/**
 * The floor of {@link FanOutLatency}: raw Redisson pub/sub between the same JVMs, a send
 * timestamp as the whole message, no cache and no bus around it.
 */
final class RawPubSub {

  static final String TOPIC = "fanout:raw";

  private RawPubSub() {}

  static RedissonClient client(String redisUri) {
    Config config = new Config();
    config.useSingleServer().setAddress(redisUri);
    return Redisson.create(config);
  }

  /** Receives {@code count} timestamps and reports their latencies through {@code say}. */
  static void receive(String redisUri, int count, Consumer<String> say) throws InterruptedException {
    RedissonClient client = client(redisUri);
    try {
      RTopic topic = client.getTopic(TOPIC, LongCodec.INSTANCE);
      List<Long> latencies = new ArrayList<>(count);
      CountDownLatch done = new CountDownLatch(count);
      topic.addListener(Long.class, (channel, sent) -> {
        synchronized (latencies) {
          latencies.add(System.nanoTime() - sent);
        }
        done.countDown();
      });
      say.accept("RAW ready");
      if (!done.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("raw messages missing: " + done.getCount());
      }
      StringBuilder out = new StringBuilder("RAWDONE ");
      synchronized (latencies) {
        latencies.forEach(n -> out.append(n).append(','));
      }
      say.accept(out.substring(0, out.length() - 1));
    } finally {
      client.shutdown();
    }
  }

  /** Publishes {@code count} timestamps, one a millisecond. */
  static void send(String redisUri, int count) throws InterruptedException {
    RedissonClient client = client(redisUri);
    try {
      RTopic topic = client.getTopic(TOPIC, LongCodec.INSTANCE);
      for (int i = 0; i < count; i++) {
        topic.publish(System.nanoTime());
        Thread.sleep(1);
      }
    } finally {
      client.shutdown();
    }
  }
}
