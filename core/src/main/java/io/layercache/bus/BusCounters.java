package io.layercache.bus;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link BusStatistics}. */
final class BusCounters {

  final LongAdder published = new LongAdder();
  final LongAdder publishFailures = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder receivedLagMillis = new LongAdder();
  final LongAdder primed = new LongAdder();
  final LongAdder ownMessages = new LongAdder();
  final LongAdder gaps = new LongAdder();
  final LongAdder interruptions = new LongAdder();
  final LongAdder repairs = new LongAdder();
  private final Map<BusRejection, LongAdder> rejected = new EnumMap<>(BusRejection.class);

  BusCounters() {
    for (BusRejection reason : BusRejection.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  void rejected(BusRejection reason) {
    rejected.get(reason).increment();
  }

  BusStatistics snapshot(long queued, boolean trusted, BusTransport.Health health) {
    Map<BusRejection, Long> byReason = new EnumMap<>(BusRejection.class);
    rejected.forEach((reason, count) -> byReason.put(reason, count.sum()));
    return new BusStatistics(published.sum(), publishFailures.sum(), dropped.sum(), queued, received.sum(),
        receivedLagMillis.sum(), primed.sum(), ownMessages.sum(), byReason, gaps.sum(), interruptions.sum(), repairs.sum(), trusted,
        health.up(), health.detail());
  }
}
