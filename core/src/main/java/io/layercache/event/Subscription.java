package io.layercache.event;

/** An active event subscription; closing it stops delivery. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Stops delivering events to the subscribed listener. */
  @Override
  void close();
}
