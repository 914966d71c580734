package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.testsupport.NatsServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server is killed (SIGKILL) or stopped cleanly (SIGTERM) and restarted on the same store while
 * instance A writes without pause. JetStream with file storage: every message A's publisher got
 * acknowledged reaches B (counted message by message). Core: B notices the reconnection and
 * empties its memory layers. Each test has a server of its own (NATS_URL is not used: it kills).
 */
class NatsBrokerRestartIT extends NatsBusFixture {

  private NatsServer server;

  @BeforeEach
  void startServer() {
    server = NatsServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void jetStreamFileStorageLosesNothingThroughAKill9() {
    durableThroughOutage("kill -9", NatsServer::kill);
  }

  @Test
  void jetStreamFileStorageLosesNothingThroughACleanRestart() {
    durableThroughOutage("clean stop", NatsServer::stop);
  }

  private void durableThroughOutage(String how, Consumer<NatsServer> outage) {
    BusSettings settings = BusSettings.defaults("it");
    Cache<String, String> a = instance("orders", new TapBusFactory.Spec(spec(server, NatsBusSpec.Mode.JETSTREAM, "a"),
        "a-" + id), settings);
    Cache<String, String> b = instance("orders", new TapBusFactory.Spec(spec(server, NatsBusSpec.Mode.JETSTREAM, "b"),
        "b-" + id), settings);
    awaitHealthy(a);
    awaitHealthy(b);
    TapBusFactory.Tap tapA = TapBusFactory.tap("a-" + id);
    TapBusFactory.Tap tapB = TapBusFactory.tap("b-" + id);
    int from = tapA.published.size();
    AtomicInteger written = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger queueLimit = new AtomicInteger(50);
    Thread writer = new Thread(() -> {
      while (writing.get() && written.get() < 20_000) {
        if (stats(a).queued() >= queueLimit.get()) {
          LockSupport.parkNanos(200_000); // back-pressure: keep the retry queue far below its 10,000 limit
          continue;
        }
        int i = written.getAndIncrement();
        a.put("k" + i, "v" + i);
      }
    }, "writer");
    writer.start();

    await().atMost(WITHIN).until(() -> tapA.published.size() - from >= 200);
    outage.accept(server);
    int writtenAtOutage = written.get();
    queueLimit.set(1_000); // while the server is down, writes go on and wait in A's retry queue
    Supplier<String> state = () -> "written " + written.get() + " (at the outage " + writtenAtOutage + "), queued "
        + stats(a).queued() + ", writer at " + java.util.Arrays.toString(writer.getStackTrace());
    await().atMost(WITHIN).failFast(() -> !writer.isAlive()).conditionEvaluationListener(c -> {
      if (c.getRemainingTimeInMS() < 200) {
        System.out.println("[diagnosis] " + state.get());
      }
    }).until(() -> written.get() >= writtenAtOutage + 200);
    long restarted = System.nanoTime();
    server.restart();
    int writtenAtRestart = written.get();
    await().atMost(Duration.ofSeconds(30)).until(() -> tapA.published.size() - from >= writtenAtRestart + 200);
    writing.set(false);
    await().atMost(WITHIN).until(() -> !writer.isAlive());

    await().atMost(Duration.ofSeconds(60)).until(() -> stats(a).queued() == 0 && tapA.missingAt(tapB, from) == 0);
    long recoveredMillis = (System.nanoTime() - restarted) / 1_000_000;
    BusStatistics sa = stats(a);
    BusStatistics sb = stats(b);
    System.out.printf("%n[nats jetstream file, %s during writes] %d puts; A published %d messages (%d publish "
        + "failures, %d dropped); B: %d lost, %d delivered again, %d applied, gaps %d, interruptions %d, repairs %d; "
        + "all delivered %d ms after the restart began%n%n", how, written.get(), tapA.published.size() - from,
        sa.publishFailures(), sa.dropped(), tapA.missingAt(tapB, from), tapB.redelivered(), sb.received(), sb.gaps(),
        sb.interruptions(), sb.repairs(), recoveredMillis);
    assertThat(sa.dropped()).isZero();
    assertThat(tapA.missingAt(tapB, from)).as("messages A published that B never got").isZero();
    assertThat(sb.interruptions()).as("a durable transport replays instead of reporting interruptions").isZero();
    assertThat(b.get("k" + (written.get() - 1))).isEqualTo("v" + (written.get() - 1));
  }

  @Test
  void coreModeRepairsAfterAKill9() {
    coreThroughOutage("kill -9", NatsServer::kill);
  }

  @Test
  void coreModeRepairsAfterACleanRestart() {
    coreThroughOutage("clean stop", NatsServer::stop);
  }

  /** B's memory holds v1; A writes v2 while the server is down; B must stop serving v1. */
  private void coreThroughOutage(String how, Consumer<NatsServer> outage) {
    BusSettings settings = BusSettings.defaults("it");
    Cache<String, String> a = instance("orders", spec(server, NatsBusSpec.Mode.CORE, "a"), settings);
    Cache<String, String> b = instance("orders", spec(server, NatsBusSpec.Mode.CORE, "b"), settings);
    awaitHealthy(a);
    awaitHealthy(b);
    a.put("hot", "v1");
    warm(b, "hot");
    long repairsBefore = stats(b).repairs();

    outage.accept(server);
    long written = System.nanoTime();
    a.put("hot", "v2");
    await().atMost(Duration.ofSeconds(30)).until(() -> "v2".equals(b.get("hot")));
    long staleMillis = (System.nanoTime() - written) / 1_000_000;
    long restarted = System.nanoTime();
    server.restart();
    await().atMost(WITHIN).until(() -> stats(b).interruptions() >= 1);
    long interruptionMillis = (System.nanoTime() - restarted) / 1_000_000;
    await().atMost(WITHIN).until(() -> stats(b).healthy());

    BusStatistics sb = stats(b);
    System.out.printf("%n[nats core, %s] B served the old value for %d ms after A's write during the outage "
        + "(reconcile-interval %s); B reported the reconnection %d ms after the restart began; repairs %d%n%n", how,
        staleMillis, settings.reconcileInterval(), interruptionMillis, sb.repairs() - repairsBefore);
    assertThat(staleMillis).as("stale at most reconcile-interval plus the 3 heartbeats that make B distrust its "
        + "subscription, plus 1 s").isLessThanOrEqualTo(settings.reconcileInterval().toMillis()
        + 3 * settings.heartbeatInterval().toMillis() + 1_000);
    assertThat(sb.repairs()).isGreaterThan(repairsBefore);
    a.put("hot", "v3");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.get("hot")).isEqualTo("v3"));
  }

  @Test
  void jetStreamMemoryStorageLostInARestartIsRecreatedAndRepaired() {
    BusSettings settings = fastSettings();
    NatsBusSpec specA = spec(server, NatsBusSpec.Mode.JETSTREAM, "a");
    NatsBusSpec specB = spec(server, NatsBusSpec.Mode.JETSTREAM, "b");
    JetStreamSpec memory = specA.jetStream().withStorage(JetStreamSpec.Storage.MEMORY,
        JetStreamSpec.DEFAULT_MAX_AGE, -1, 1);
    Cache<String, String> a = instance("orders", new NatsBusSpec(specA.mode(), specA.connection(), specA.subject(),
        specA.requestTimeout(), memory), settings);
    Cache<String, String> b = instance("orders", new NatsBusSpec(specB.mode(), specB.connection(), specB.subject(),
        specB.requestTimeout(), memory.withDurableName(specB.jetStream().durableName())), settings);
    awaitHealthy(a);
    awaitHealthy(b);
    a.put("hot", "v1");
    warm(b, "hot");

    server.kill();
    a.put("hot", "v2");
    server.restart();

    await().atMost(Duration.ofSeconds(30)).until(() -> stats(b).interruptions() >= 1);
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.get("hot")).isEqualTo("v2"));
    await().atMost(WITHIN).until(() -> stats(b).healthy());
    a.put("hot", "v3");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.get("hot")).isEqualTo("v3"));
  }
}
