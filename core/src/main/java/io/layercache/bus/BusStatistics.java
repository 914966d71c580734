package io.layercache.bus;

import java.util.Map;

/**
 * Counters of one bus hub since it started (a snapshot).
 *
 * @param published       messages the transport accepted
 * @param publishFailures publish attempts that failed (each retried while the retry queue holds it)
 * @param dropped         messages dropped unsent: the retry queue overflowed (oldest first) or is off
 * @param queued          messages waiting to be sent now
 * @param received        messages from other instances accepted and applied
 * @param receivedLagMillis the invalidation lag of those messages, summed: from the sender's
 *                        timestamp (taken when the change was queued for the bus) to the message
 *                        applied here, in milliseconds (never negative); divided by
 *                        {@code received} it is the mean lag. Across hosts it includes their clock
 *                        difference.
 * @param primed          keys a {@code SET} message put into an in-process layer
 * @param ownMessages     this hub's own messages coming back (filtered, not applied)
 * @param rejected        messages dropped, by reason
 * @param gaps            holes found in another instance's sequence
 * @param interruptions   subscription interruptions the transport reported
 * @param repairs         times the in-process layers were emptied because messages may have been lost
 * @param trusted         false while this instance's own heartbeats do not come back
 * @param transportUp     the transport reports itself connected (and subscribed)
 * @param transportDetail what the transport last saw
 */
public record BusStatistics(long published, long publishFailures, long dropped, long queued, long received,
    long receivedLagMillis, long primed, long ownMessages, Map<BusRejection, Long> rejected, long gaps, long interruptions, long repairs,
    boolean trusted, boolean transportUp, String transportDetail) {

  /** Copies the map. */
  public BusStatistics {
    rejected = Map.copyOf(rejected);
  }

  /** True when the bus works end to end: the transport is up and this instance's own heartbeats come back. */
  public boolean healthy() {
    return transportUp && trusted;
  }

  /** All rejected messages, whatever the reason. */
  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
