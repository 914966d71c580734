package io.layercache.benchmarks.bus;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The floor of {@link FanOutLatency} on NATS: raw core publish/subscribe between the same JVMs, a
 * send timestamp as the whole message, no cache and no bus around it.
 */
final class RawNats {

  static final String SUBJECT = "fanout.raw";

  private RawNats() {}

  /** Receives {@code count} timestamps and reports their latencies through {@code say}. */
  static void receive(String natsUri, int count, Consumer<String> say) throws Exception {
    try (Connection connection = Nats.connect(natsUri)) {
      List<Long> latencies = new ArrayList<>(count);
      CountDownLatch done = new CountDownLatch(count);
      Dispatcher dispatcher = connection.createDispatcher(message -> {
        long sent = ByteBuffer.wrap(message.getData()).getLong();
        synchronized (latencies) {
          latencies.add(System.nanoTime() - sent);
        }
        done.countDown();
      });
      dispatcher.subscribe(SUBJECT);
      connection.flush(Duration.ofSeconds(5));
      say.accept("RAW ready");
      if (!done.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("raw messages missing: " + done.getCount());
      }
      StringBuilder out = new StringBuilder("RAWDONE ");
      synchronized (latencies) {
        latencies.forEach(n -> out.append(n).append(','));
      }
      say.accept(out.substring(0, out.length() - 1));
    }
  }

  /** Publishes {@code count} timestamps, one a millisecond. */
  static void send(String natsUri, int count) throws Exception {
    try (Connection connection = Nats.connect(natsUri)) {
      for (int i = 0; i < count; i++) {
        connection.publish(SUBJECT, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        connection.flush(Duration.ofSeconds(5));
        Thread.sleep(1);
      }
    }
  }
}
