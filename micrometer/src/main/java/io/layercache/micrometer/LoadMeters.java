package io.layercache.micrometer;

import io.layercache.LayerCache;
import io.layercache.LoadStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The load meters of one cache, tagged {@code cache}, read from {@link LayerCache#loadStatistics()}:
 * loader calls, timeouts, stale values served, refreshes, negative caching and single-flight.
 */
final class LoadMeters {

  private final LayerCache<?, ?> cache;
  private final Tags tags;

  LoadMeters(LayerCache<?, ?> cache, Tags tags) {
    this.cache = cache;
    this.tags = tags;
  }

  void bindTo(MeterRegistry registry) {
    bindLoads(registry);
    bindStale(registry);
    bindNegativeCaching(registry);
    bindSingleFlight(registry);
  }

  private void bindLoads(MeterRegistry registry) {
    String loads = "Readers' loader calls, by outcome (a batch load counts once)";
    counter(registry, "layercache.loads", tags.and("result", "success"), LoadStatistics::loads, loads);
    counter(registry, "layercache.loads", tags.and("result", "failure"), LoadStatistics::loadFailures, loads);
    FunctionTimer.builder("layercache.load.duration", cache,
            c -> StatisticsSource.isClosed(c) ? 0 : c.loadStatistics().loads() + c.loadStatistics().loadFailures(),
            StatisticsSource.load(LoadStatistics::loadTimeNanos), TimeUnit.NANOSECONDS)
        .tags(tags)
        .description("Time spent in readers' loader calls, successful or not")
        .register(registry);
    String timeouts = "Callers that stopped waiting for a load at the fail-safe soft or hard timeout";
    counter(registry, "layercache.load.timeouts", tags.and("timeout", "soft"), LoadStatistics::softTimeouts, timeouts);
    counter(registry, "layercache.load.timeouts", tags.and("timeout", "hard"), LoadStatistics::hardTimeouts, timeouts);
  }

  private void bindStale(MeterRegistry registry) {
    String stale = "Stale values served: the loader failed or timed out (fail-safe), or the value is being "
        + "revalidated in the background (stale-while-revalidate)";
    counter(registry, "layercache.stale.served", tags.and("reason", "fail-safe"), LoadStatistics::failSafeServed,
        stale);
    counter(registry, "layercache.stale.served", tags.and("reason", "stale-while-revalidate"),
        LoadStatistics::staleWhileRevalidateServed, stale);
    String refreshes = "Background refreshes started, failed (readers never saw it), or skipped because another "
        + "instance was refreshing the key";
    counter(registry, "layercache.refreshes", tags.and("result", "started"), LoadStatistics::refreshesStarted,
        refreshes);
    counter(registry, "layercache.refreshes", tags.and("result", "failed"), LoadStatistics::refreshFailures,
        refreshes);
    counter(registry, "layercache.refreshes", tags.and("result", "skipped"), LoadStatistics::refreshesSkipped,
        refreshes);
  }

  private void bindNegativeCaching(MeterRegistry registry) {
    counter(registry, "layercache.negative.hits", tags, LoadStatistics::notFoundHits,
        "Reads answered by a remembered \"not found\" without calling the loader");
    counter(registry, "layercache.negative.stored", tags, LoadStatistics::notFoundStored,
        "Loader \"not found\" answers remembered (negative caching)");
  }

  private void bindSingleFlight(MeterRegistry registry) {
    counter(registry, "layercache.singleflight.joins", tags, LoadStatistics::inFlightJoins,
        "Callers that joined a load of the same key already in flight in this JVM");
    counter(registry, "layercache.singleflight.leases", tags, LoadStatistics::leasesTaken,
        "Cross-instance load leases taken (distributed single-flight)");
    counter(registry, "layercache.singleflight.waits", tags, LoadStatistics::leaseWaits,
        "Callers that waited for another instance's load");
    counter(registry, "layercache.singleflight.served.remote", tags, LoadStatistics::servedByOtherInstance,
        "Callers given the value another instance loaded");
    counter(registry, "layercache.singleflight.wait.timeouts", tags, LoadStatistics::leaseWaitTimeouts,
        "Waits for another instance's load that ran out");
    counter(registry, "layercache.singleflight.degraded", tags, LoadStatistics::coordinationDegraded,
        "Loads run without cross-instance coordination because the shared layer failed");
  }

  private void counter(MeterRegistry registry, String name, Tags meterTags, ToLongFunction<LoadStatistics> figure,
      String description) {
    FunctionCounter.builder(name, cache, StatisticsSource.load(figure))
        .tags(meterTags)
        .description(description)
        .register(registry);
  }
}
