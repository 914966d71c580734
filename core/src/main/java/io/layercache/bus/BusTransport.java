package io.layercache.bus;

/**
 * Carries invalidation messages between instances: the SPI a transport module implements.
 *
 * <ul>
 *   <li>Every instance publishes to, and subscribes on, the same channel (subject, exchange);
 *       each receives its own messages back too (the hub filters them).
 *   <li>Messages are opaque bytes to the transport: signing, sequencing and checks are the hub's.
 *   <li>An at-most-once transport reports every interruption of its subscription through
 *       {@link BusListener#onInterrupted}, so the hub can repair what may have been missed. A
 *       durable transport redelivers instead, and acknowledges a message only after
 *       {@link BusListener#onMessage} returned.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface BusTransport extends AutoCloseable {

  /** What a transport delivers. */
  enum Delivery {
    /** A message is lost when the subscriber is disconnected (Redis pub/sub, NATS core). */
    AT_MOST_ONCE,
    /** Messages are kept for a disconnected subscriber and replayed (JetStream, durable queues). */
    DURABLE
  }

  /** A short description for logs, e.g. {@code redis pub/sub channel layercache:invalidations}. */
  String describe();

  /** What this transport delivers. */
  Delivery delivery();

  /**
   * Whether the transport is connected and subscribed now, for health checks and statistics.
   * Never blocks on the network: it reports what the transport last saw.
   */
  Health health();

  /**
   * A transport's health.
   *
   * @param up     connected, and subscribed unless publish-only
   * @param detail what the transport last saw, for humans (e.g. {@code subscribed to lc:inv})
   */
  record Health(boolean up, String detail) {}

  /**
   * Publishes one message; returns when the transport accepted it. Called from one publisher
   * thread at a time, so messages leave in order.
   *
   * @throws Exception when the message was not accepted (it will be retried or dropped by the hub)
   */
  void publish(byte[] message) throws Exception;

  /**
   * Publishes several messages in order; returns when the transport accepted them all. The hub
   * hands over what queued up while the previous publish was under way, so a transport that can
   * confirm a batch at once (publisher confirms, asynchronous acknowledgements) waits one round
   * trip for all of them instead of one each. On an exception the hub sends the whole batch
   * again: receivers drop the copies of messages that did arrive (per-source sequence numbers).
   * The default publishes them one by one.
   *
   * @throws Exception when a message was not accepted
   */
  default void publishAll(java.util.List<byte[]> messages) throws Exception {
    for (byte[] message : messages) {
      publish(message);
    }
  }

  /**
   * Starts delivering messages to {@code listener}; returns once the subscription is active (or
   * after the transport's connect timeout, having logged why it is not; it keeps trying).
   * Called at most once.
   */
  void subscribe(BusListener listener);

  /** Stops delivering and releases what the transport owns (never a connection it was given). */
  @Override
  void close();
}
