package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.bus.BusRejection;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.testsupport.RabbitMqServer;
import io.layercache.testsupport.RabbitMqServerExtension.KillsTheBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker crashes (SIGKILL) or is restarted cleanly while an instance writes. Durable mode:
 * every invalidation reaches the other instance after the broker is back, none twice. At most
 * once: what was lost is repaired, and the figures are printed.
 */
@KillsTheBroker
class RabbitMqBrokerFaultIT extends RabbitMqFixture {

  private static final Duration RECOVERY = Duration.ofSeconds(90);
  private static final int KEYS = 50;

  RabbitMqBrokerFaultIT(RabbitMqServer broker) {
    super(broker);
  }

  @AfterEach
  void brokerRunsForTheNextTest() {
    if (!broker.isAlive()) {
      broker.start();
    }
  }

  /** Puts {@code key-(i % KEYS)} = {@code v-i} until stopped, a few hundred a second. */
  private static final class Writer extends Thread {
    private final LayerCache<String, String> cache;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();

    Writer(LayerCache<String, String> cache) {
      super("writer");
      this.cache = cache;
    }

    @Override
    public void run() {
      for (int i = 0; !stop.get(); i++) {
        cache.asJCache().put("key-" + (i % KEYS), "v-" + i);
        writes.incrementAndGet();
        LockSupport.parkNanos(2_000_000); // pacing, not waiting for a condition
      }
    }

    int writes() {
      return writes.get();
    }

    /** Writes {@code more} more, then stops. */
    void writeMoreAndStop(int more) throws InterruptedException {
      int until = writes() + more;
      await().atMost(Duration.ofSeconds(60)).until(() -> writes() >= until);
      stop.set(true);
      join();
    }

    /** The last value written to {@code key}. */
    String lastValueOf(int key) {
      int last = writes() - 1;
      return "v-" + (last - ((last - key) % KEYS + KEYS) % KEYS);
    }
  }

  @Test
  void durableModeLosesNothingWhenTheBrokerIsKilledDuringWrites() throws Exception {
    durableModeLosesNothing("killed (SIGKILL)", broker::kill);
  }

  @Test
  void durableModeLosesNothingWhenTheBrokerRestartsCleanly() throws Exception {
    durableModeLosesNothing("stopped cleanly", broker::stop);
  }

  private void durableModeLosesNothing(String how, Runnable fault) throws Exception {
    BusSettings settings = fastSettings("it");
    LayerCache<String, String> a = newInstance("orders", memoryAndRemote(durable("a"), settings));
    LayerCache<String, String> b = newInstance("orders", memoryAndRemote(durable("b"), settings));
    awaitHealthy(List.of(a, b));
    Writer writer = new Writer(a);
    writer.start();
    await().atMost(WITHIN).until(() -> writer.writes() >= 200);

    fault.run();
    int atFault = writer.writes();
    await().atMost(WITHIN).until(() -> writer.writes() >= atFault + 200);
    broker.start();
    long back = System.nanoTime();
    int duringOutage = writer.writes() - atFault;
    writer.writeMoreAndStop(200);
    int written = writer.writes();

    await().atMost(RECOVERY).until(() -> stats(b).received() >= written);
    long allThere = (System.nanoTime() - back) / 1_000_000;
    BusStatistics sender = stats(a);
    BusStatistics receiver = stats(b);
    printDurable(how, written, duringOutage, allThere, sender, receiver);
    assertThat(sender.dropped()).isZero();
    assertThat(receiver.received()).as("every put applied once, none lost").isEqualTo(written);
    assertThat(receiver.gaps()).as("no hole in the sender's sequence").isZero();
    assertThat(receiver.interruptions()).as("a durable queue needs no repair").isZero();
    for (int key = 0; key < KEYS; key++) {
      assertThat(b.asJCache().get("key-" + key)).isEqualTo(writer.lastValueOf(key));
    }
  }

  private static void printDurable(String how, int written, int duringOutage, long allThereMillis, BusStatistics sender,
      BusStatistics receiver) {
    System.out.printf("%n[rabbitmq durable, broker %s] %d puts, %d during the outage; the receiver applied %d "
        + "(all of them %d ms after the broker was back), gaps %d, duplicates dropped %d, repairs %d; sender: %d "
        + "publish failures, %d dropped%n%n", how, written, duringOutage, receiver.received(), allThereMillis,
        receiver.gaps(), receiver.rejected().get(BusRejection.DUPLICATE), receiver.repairs(), sender.publishFailures(),
        sender.dropped());
  }

  @Test
  void atMostOnceRepairsWhatABrokerCrashLost() throws Exception {
    atMostOnceRepairsWhatWasLost("killed (SIGKILL)", broker::kill);
  }

  @Test
  void atMostOnceRepairsWhatACleanBrokerRestartLost() throws Exception {
    atMostOnceRepairsWhatWasLost("stopped cleanly", broker::stop);
  }

  private void atMostOnceRepairsWhatWasLost(String how, Runnable fault) throws Exception {
    BusSettings settings = BusSettings.defaults("it"); // heartbeat 1s, reconcile 5s
    LayerCache<String, String> a = newInstance("orders", memoryAndRemote(atMostOnce(), withoutRetryQueue(settings)));
    LayerCache<String, String> b = newInstance("orders", memoryAndRemote(atMostOnce(), settings));
    awaitHealthy(List.of(a, b));
    for (int key = 0; key < KEYS; key++) {
      a.asJCache().put("key-" + key, "old");
      warm(b, "key-" + key);
    }

    fault.run();
    long killed = System.nanoTime();
    for (int key = 0; key < KEYS; key++) {
      a.asJCache().put("key-" + key, "new");
    }
    await().atMost(RECOVERY).until(() -> allNew(b));
    Duration staleFor = Duration.ofNanos(System.nanoTime() - killed);
    broker.start();
    long back = System.nanoTime();
    await().atMost(RECOVERY).until(() -> stats(b).transportUp() && stats(b).interruptions() > 0);
    long consumingAfter = (System.nanoTime() - back) / 1_000_000;
    await().atMost(RECOVERY).until(() -> stats(b).healthy());
    long healthyAfter = (System.nanoTime() - back) / 1_000_000;
    a.asJCache().put("key-0", "after");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("key-0")).isEqualTo("after"));

    BusStatistics receiver = stats(b);
    System.out.printf("%n[rabbitmq at most once, broker %s] the receiver read every new value %d ms after the "
        + "fault (broker down %d ms, reconcile-interval %d ms); consuming again %d ms and trusted again (its own "
        + "heartbeats back) %d ms after the broker was back; interruptions %d, gaps %d, repairs %d; sender dropped "
        + "%d%n%n", how, staleFor.toMillis(), (back - killed) / 1_000_000, settings.reconcileInterval().toMillis(),
        consumingAfter, healthyAfter, receiver.interruptions(), receiver.gaps(), receiver.repairs(), stats(a).dropped());
    assertThat(receiver.repairs()).isPositive();
    assertThat(staleFor).as("repaired within 3 missed heartbeats and a reconcile-interval (+2 s for a busy machine)")
        .isLessThanOrEqualTo(settings.heartbeatInterval().multipliedBy(3).plus(settings.reconcileInterval())
            .plusSeconds(2));
    assertThat(receiver.interruptions()).as("the new queue was reported").isPositive();
    assertThat(consumingAfter).as("consuming again, and repaired, within reconcile-interval of the broker's return")
        .isLessThanOrEqualTo(settings.reconcileInterval().toMillis());
  }

  /** {@code settings} without a retry queue: a message that fails to publish is dropped, i.e. lost. */
  private static BusSettings withoutRetryQueue(BusSettings settings) {
    return new BusSettings("writer", true, true, 0, settings.maxMessageBytes(), settings.trackedSources(),
        settings.replayWindow(), 0, settings.breaker(), settings.heartbeatInterval(), settings.reconcileInterval(),
        settings.signing());
  }

  private static boolean allNew(LayerCache<String, String> cache) {
    for (int key = 0; key < KEYS; key++) {
      if (!"new".equals(cache.asJCache().get("key-" + key))) {
        return false;
      }
    }
    return true;
  }
}
