package io.layercache.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.layercache.bus.BusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what the queue delivers to the hub, one message at a time in queue order, and
 * acknowledges each only after the hub applied it: a message whose instance (or connection) died
 * before that is delivered again, and the hub drops the copy it already applied.
 *
 * <p>It also tells its transport when consuming starts (the first time, and again after amqp-client
 * recovered the consumer or the transport made a new one) and when it stops.
 */
final class BusConsumer implements Consumer {

  private static final Logger LOG = LoggerFactory.getLogger(BusConsumer.class);

  /** What the transport learns from the consumer. */
  interface Events {
    /** Consuming started, or started again. */
    void consuming(String consumerTag);

    /** The broker cancelled the consumer: its queue was deleted (and what it held with it). */
    void cancelledByBroker();
  }

  private final BusListener listener;
  private final Events events;
  private final String bus;
  private volatile Channel channel;
  private volatile String consumerTag;

  BusConsumer(BusListener listener, Events events, String bus) {
    this.listener = listener;
    this.events = events;
    this.bus = bus;
  }

  /** The channel acknowledgements go to; set before {@code basicConsume}. */
  void useChannel(Channel consumeChannel) {
    this.channel = consumeChannel;
  }

  /** Tells the hub that messages may have been missed. */
  void interrupted(String reason) {
    listener.onInterrupted(reason);
  }

  /**
   * Marks the consumer active as soon as {@code basicConsume} returned: amqp-client calls
   * {@link #handleConsumeOk} later, from its own thread, and until then the transport must not
   * consume a second time.
   */
  void registered(String tag) {
    Channel current = channel;
    if (current != null && current.isOpen()) {
      consumerTag = tag;
    }
  }

  /** True while the broker delivers to this consumer. */
  boolean active() {
    return consumerTag != null;
  }

  /** The consumer's tag while active, for cancelling it. */
  String consumerTag() {
    return consumerTag;
  }

  @Override
  public void handleConsumeOk(String tag) {
    consumerTag = tag;
    events.consuming(tag);
  }

  @Override
  public void handleCancelOk(String tag) {
    consumerTag = null;
  }

  @Override
  public void handleCancel(String tag) {
    consumerTag = null;
    LOG.warn("bus={} the broker cancelled the consumer: the queue was deleted; declaring it again", bus);
    events.cancelledByBroker();
  }

  @Override
  public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
    // The channel or its connection went down; amqp-client's recovery (or the transport) consumes again.
    consumerTag = null;
  }

  @Override
  public void handleRecoverOk(String tag) {
    // basic.recover is never sent by the bus.
  }

  @Override
  public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    try {
      listener.onMessage(body);
    } catch (RuntimeException e) {
      // The hub never throws; were it to, redelivering the message would only fail again.
      LOG.warn("bus={} a message could not be handed over; acknowledging it anyway", bus, e);
    }
    try {
      channel.basicAck(envelope.getDeliveryTag(), false);
    } catch (Exception e) {
      // The channel went down after the message was applied: the broker delivers it again and the
      // hub drops it as a duplicate.
      LOG.debug("bus={} acknowledging delivery {} failed: {}", bus, envelope.getDeliveryTag(), e.toString());
    }
  }
}
