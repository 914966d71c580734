package io.layercache.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.SingleFlightSettings;
import io.layercache.layer.LoadLeases;
import io.layercache.metrics.CacheMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A caller waiting for another instance's load polls the lease less often while the layer's
 * release notices are heard (they end the wait; the poll is only the fallback): its pauses grow
 * to 50 ms instead of 10 ms.
 */
class LeasePollingTest {

  /** A lease held elsewhere for ever, whose release watch is live or not; counts the polls. */
  private static final class HeldElsewhere implements LoadLeases<String> {
    final AtomicInteger polls = new AtomicInteger();
    private final boolean live;

    HeldElsewhere(boolean live) {
      this.live = live;
    }

    @Override
    public Lease tryAcquire(String key, Duration leaseTime) {
      return null;
    }

    @Override
    public State state(String key) {
      polls.incrementAndGet();
      return State.HELD;
    }

    @Override
    public Watch watchRelease(String key, ReleaseListener onRelease) {
      return new Watch() {
        @Override
        public void close() {
        }

        @Override
        public boolean isLive() {
          return live;
        }
      };
    }
  }

  @Test
  void whileReleasesAreHeardTheFirstEightPollsTakeAtLeastTheirLongerPauses() throws Exception {
    // pauses before the 8th poll: 1 + 2 + 4 + 8 + 16 + 32 + 50 = 113 ms (heard); 1 + 2 + 4 + 8 + 10 + 10 + 10 = 45 ms (not)
    assertThat(millisToEightPolls(true)).isGreaterThanOrEqualTo(100);
  }

  private static long millisToEightPolls(boolean live) throws Exception {
    HeldElsewhere leases = new HeldElsewhere(live);
    DistributedSingleFlight<String> flight = flightOver(leases);
    long start = System.nanoTime();
    CompletableFuture<Long> load = CompletableFuture.supplyAsync(
        () -> flight.<Long>load("k", () -> null, lease -> lease.fence(), () -> { }));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> leases.polls.get() >= 8);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    end(flight, load);
    return elapsed;
  }

  private static DistributedSingleFlight<String> flightOver(LoadLeases<String> leases) {
    return new DistributedSingleFlight<>("c", leases,
        SingleFlightSettings.distributed(Duration.ofSeconds(10), Duration.ofSeconds(30)), false, new CacheMetrics(2));
  }

  /** Ends the wait by offering a lease (as a read of this instance would), and checks the load ran under it. */
  private static void end(DistributedSingleFlight<String> flight, CompletableFuture<Long> load) throws Exception {
    flight.offer("k", new LoadLeases.Lease() {
      @Override
      public long fence() {
        return 5;
      }

      @Override
      public boolean isValid() {
        return true;
      }

      @Override
      public void releaseFoundNothing() {
      }

      @Override
      public void close() {
      }
    });
    assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo(5L);
  }
}
