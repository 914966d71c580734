package io.layercache.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.SingleFlightSettings;
import io.layercache.layer.LoadLeases;
import io.layercache.metrics.CacheMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A lease a read took with its shared read ({@code Layer.readOrLease}) is offered to the key's
 * flight: claimed by it, even by a flight already waiting for that very lease, and released when
 * the reading operation ends without a flight having claimed it.
 */
class OfferedLeasesTest {

  /** Leases held elsewhere for ever: tryAcquire never succeeds and the state stays HELD. */
  private static final class HeldElsewhere implements LoadLeases<String> {
    final AtomicInteger acquireCalls = new AtomicInteger();

    @Override
    public Lease tryAcquire(String key, Duration leaseTime) {
      acquireCalls.incrementAndGet();
      return null;
    }

    @Override
    public State state(String key) {
      return State.HELD;
    }
  }

  /** A lease that counts its releases. */
  private static final class CountedLease implements LoadLeases.Lease {
    final AtomicInteger closes = new AtomicInteger();
    private final long fence;

    CountedLease(long fence) {
      this.fence = fence;
    }

    @Override
    public long fence() {
      return fence;
    }

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public boolean entryAbsentWhenTaken() {
      return true;
    }

    @Override
    public void releaseFoundNothing() {
      closes.incrementAndGet();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private final HeldElsewhere leases = new HeldElsewhere();
  private final DistributedSingleFlight<String> flight = new DistributedSingleFlight<>("c", leases,
      SingleFlightSettings.distributed(Duration.ofSeconds(10), Duration.ofSeconds(10)), false, new CacheMetrics(2));

  @Test
  void aFlightWaitingForTheLeaseClaimsTheOneAReadOfThisInstanceTook() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Long> loadedUnder = CompletableFuture.supplyAsync(
        () -> flight.<Long>load("k", () -> null, lease -> lease.fence(), waiting::countDown));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the flight waits for the lease held 'elsewhere'").isTrue();

    CountedLease taken = new CountedLease(42);
    DistributedSingleFlight<String>.Offer offer = flight.offer("k", taken);

    assertThat(loadedUnder.get(10, TimeUnit.SECONDS)).as("the load ran under the offered lease").isEqualTo(42L);
    offer.withdraw(); // the reading operation ends
    assertThat(taken.closes).as("released once, by the load that claimed it").hasValue(1);
  }

  @Test
  void aFlightClaimsAnOfferMadeBeforeItStarted() {
    CountedLease taken = new CountedLease(7);
    DistributedSingleFlight<String>.Offer offer = flight.offer("k", taken);

    Long loadedUnder = flight.<Long>load("k", () -> null, lease -> lease.fence(), () -> { });
    assertThat(loadedUnder).isEqualTo(7L);
    assertThat(leases.acquireCalls).as("no second round trip for the lease").hasValue(0);
    offer.withdraw();
    assertThat(taken.closes).hasValue(1);
  }

  @Test
  void anOfferNoFlightClaimedIsReleasedWhenWithdrawnAndNotClaimedAfterwards() throws Exception {
    CountedLease taken = new CountedLease(9);
    flight.offer("k", taken).withdraw();
    assertThat(taken.closes).as("released, so other instances need not wait for it").hasValue(1);

    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Long> later = CompletableFuture.supplyAsync(
        () -> flight.<Long>load("k", () -> null, lease -> lease.fence(), waiting::countDown));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).as("a later flight asks for a lease of its own").isTrue();
    assertThat(leases.acquireCalls).hasValue(1);
    flight.offer("k", new CountedLease(10)); // ends the wait
    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo(10L);
  }
}
