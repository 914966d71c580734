package io.layercache.testing;

import io.layercache.bus.BusListener;
import io.layercache.bus.BusTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One channel of in-JVM pub/sub: every message published is delivered synchronously, in order, to
 * every subscriber (the publisher's own included), like Redis pub/sub. Tests can lose messages
 * ({@link #dropWhile}), inject raw bytes ({@link #inject}) and interrupt subscriptions.
 */
public final class InMemoryBus {

  private static final Map<String, InMemoryBus> CHANNELS = new ConcurrentHashMap<>();

  private final List<BusListener> subscribers = new CopyOnWriteArrayList<>();
  private volatile Predicate<byte[]> drop = message -> false;
  private volatile boolean failing;

  /** The channel's bus, made on first use. */
  public static InMemoryBus channel(String name) {
    return CHANNELS.computeIfAbsent(name, n -> new InMemoryBus());
  }

  /** Messages matching {@code lost} are silently not delivered (until called again). */
  public void dropWhile(Predicate<byte[]> lost) {
    this.drop = lost;
  }

  /** Publishing fails while {@code failing}. */
  public void failPublishing(boolean failing) {
    this.failing = failing;
  }

  /** Delivers raw bytes to every subscriber, as if another instance had published them. */
  public void inject(byte[] message) {
    subscribers.forEach(listener -> listener.onMessage(message));
  }

  /** Tells every subscriber its subscription was interrupted. */
  public void interrupt() {
    subscribers.forEach(listener -> listener.onInterrupted("test interruption"));
  }

  /** A transport on this channel. */
  BusTransport transport() {
    return new BusTransport() {
      private BusListener subscribed;

      @Override
      public String describe() {
        return "in-memory bus";
      }

      @Override
      public Delivery delivery() {
        return Delivery.AT_MOST_ONCE;
      }

      @Override
      public Health health() {
        return new Health(!failing, failing ? "failing" : "in-memory");
      }

      @Override
      public void publish(byte[] message) {
        if (failing) {
          throw new IllegalStateException("in-memory bus is failing");
        }
        if (!drop.test(message)) {
          inject(message);
        }
      }

      @Override
      public void subscribe(BusListener listener) {
        subscribed = listener;
        subscribers.add(listener);
      }

      @Override
      public void close() {
        subscribers.remove(subscribed);
      }
    };
  }
}
