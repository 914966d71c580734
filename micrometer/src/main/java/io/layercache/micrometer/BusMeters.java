package io.layercache.micrometer;

import io.layercache.LayerCache;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The invalidation-bus meters of one cache, tagged {@code cache}, read from
 * {@link LayerCache#busStatistics()}; bound only when the cache has a bus.
 *
 * <ul>
 *   <li>The figures are the bus hub's, which every cache of the cache manager on the same bus
 *       shares: such caches report the same values, so aggregate them with {@code max}, not
 *       {@code sum}.
 * </ul>
 */
final class BusMeters {

  private final LayerCache<?, ?> cache;
  private final Tags tags;

  BusMeters(LayerCache<?, ?> cache, Tags tags) {
    this.cache = cache;
    this.tags = tags;
  }

  void bindTo(MeterRegistry registry) {
    if (cache.busStatistics().isEmpty()) {
      return;
    }
    counter(registry, "layercache.bus.published", tags, BusStatistics::published,
        "Bus messages the transport accepted");
    counter(registry, "layercache.bus.publish.failures", tags, BusStatistics::publishFailures,
        "Publish attempts that failed (each retried while the retry queue holds it)");
    counter(registry, "layercache.bus.dropped", tags, BusStatistics::dropped,
        "Bus messages dropped unsent: the retry queue overflowed or is off");
    counter(registry, "layercache.bus.received", tags, BusStatistics::received,
        "Messages from other instances accepted and applied");
    ToDoubleFunction<LayerCache<?, ?>> received = StatisticsSource.bus(BusStatistics::received);
    FunctionTimer.builder("layercache.bus.invalidation.lag", cache, c -> (long) received.applyAsDouble(c),
            StatisticsSource.bus(BusStatistics::receivedLagMillis), TimeUnit.MILLISECONDS)
        .tags(tags)
        .description("From a change queued on another instance to its message applied here (count and total; "
            + "across hosts it includes their clock difference)")
        .register(registry);
    counter(registry, "layercache.bus.primed", tags, BusStatistics::primed,
        "Keys a SET message put into an in-process layer");
    for (BusRejection reason : BusRejection.values()) {
      counter(registry, "layercache.bus.rejected", tags.and("reason", reason.name().toLowerCase(Locale.ROOT)),
          s -> s.rejected().getOrDefault(reason, 0L), "Received messages dropped, by reason");
    }
    counter(registry, "layercache.bus.gaps", tags, BusStatistics::gaps,
        "Holes found in another instance's message sequence");
    counter(registry, "layercache.bus.interruptions", tags, BusStatistics::interruptions,
        "Subscription interruptions the transport reported");
    counter(registry, "layercache.bus.repairs", tags, BusStatistics::repairs,
        "Times the in-process layers were emptied because messages may have been lost");
    gauge(registry, "layercache.bus.queued", BusStatistics::queued, "Bus messages waiting to be sent now");
    gauge(registry, "layercache.bus.healthy", s -> s.healthy() ? 1 : 0,
        "1 while the bus works end to end (transport up and this instance's own heartbeats come back), else 0");
    gauge(registry, "layercache.bus.transport.up", s -> s.transportUp() ? 1 : 0,
        "1 while the transport reports itself connected and subscribed, else 0");
  }

  private void counter(MeterRegistry registry, String name, Tags meterTags, ToDoubleFunction<BusStatistics> figure,
      String description) {
    FunctionCounter.builder(name, cache, StatisticsSource.bus(figure))
        .tags(meterTags)
        .description(description)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, ToDoubleFunction<BusStatistics> figure, String description) {
    Gauge.builder(name, cache, StatisticsSource.bus(figure))
        .tags(tags)
        .description(description)
        .register(registry);
  }
}
