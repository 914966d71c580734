package io.layercache.benchmarks.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The floor of {@link FanOutLatency} on RabbitMQ: a fanout exchange and one server-named queue per
 * observer, a send timestamp as the whole message, no confirms, automatic acknowledgements, no
 * cache and no bus around it.
 */
final class RawAmqp {

  static final String EXCHANGE = "fanout.raw";

  private RawAmqp() {}

  static Connection connect(String amqpUrl) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(amqpUrl);
    return factory.newConnection("fanout raw");
  }

  /** Receives {@code count} timestamps and reports their latencies through {@code say}. */
  static void receive(String amqpUrl, int count, Consumer<String> say) throws Exception {
    try (Connection connection = connect(amqpUrl)) {
      Channel channel = connection.createChannel();
      channel.exchangeDeclare(EXCHANGE, "fanout");
      String queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, EXCHANGE, "");
      List<Long> latencies = new ArrayList<>(count);
      CountDownLatch done = new CountDownLatch(count);
      DeliverCallback deliver = (tag, delivery) -> {
        long received = System.nanoTime();
        synchronized (latencies) {
          latencies.add(received - ByteBuffer.wrap(delivery.getBody()).getLong());
        }
        done.countDown();
      };
      channel.basicConsume(queue, true, deliver, tag -> { });
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
  static void send(String amqpUrl, int count) throws Exception {
    try (Connection connection = connect(amqpUrl)) {
      Channel channel = connection.createChannel();
      channel.exchangeDeclare(EXCHANGE, "fanout");
      for (int i = 0; i < count; i++) {
        channel.basicPublish(EXCHANGE, "", null, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        Thread.sleep(1);
      }
    }
  }
}
