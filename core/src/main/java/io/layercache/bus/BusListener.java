package io.layercache.bus;

/** Receives what a {@link BusTransport} delivers. */
public interface BusListener {

  /**
   * One message as published. Never throws: bad bytes are counted and dropped. A durable
   * transport acknowledges the message after this returns.
   */
  void onMessage(byte[] message);

  /**
   * The subscription was interrupted and is active again (a reconnect, a resubscription): messages
   * published meanwhile may be lost, so in-process copies must be repaired.
   *
   * @param reason what happened, for the log
   */
  void onInterrupted(String reason);
}
