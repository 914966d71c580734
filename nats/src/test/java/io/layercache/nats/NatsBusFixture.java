package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusSpec;
import io.layercache.bus.BusStatistics;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.CacheInstances;
import io.layercache.testing.InMemoryRemote;
import io.layercache.testsupport.NatsServer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;

/**
 * Instances (cache managers of their own in this JVM) with a memory layer over the in-JVM shared
 * remote layer of core's test fixtures, joined by the NATS bus on a real server. Each test gets
 * its own subject, stream and consumer names, so tests never see each other's messages.
 */
abstract class NatsBusFixture {

  /** Bound of every wait for a delivery: generous, a passing wait takes well under a second but a loaded machine is slow. */
  static final Duration WITHIN = Duration.ofSeconds(30);

  protected final CacheInstances instances = new CacheInstances(NatsBusFixture.class.getClassLoader());
  protected final InMemoryRemote remote = InMemoryRemote.create();
  /** Unique per test: subject {@code it.<id>}, stream {@code IT_<id>}, consumers {@code <name>-<id>}. */
  protected final String id = UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void closeInstances() {
    instances.close();
    remote.forget();
  }

  /** Heartbeats every 200 ms, reconcile every second: failures show quickly. */
  static BusSettings fastSettings() {
    return BusSettings.defaults("it").withIntervals(Duration.ofMillis(200), Duration.ofSeconds(1));
  }

  /** The bus of instance {@code name} on {@code server}: core, or JetStream with consumer {@code name-id}. */
  NatsBusSpec spec(NatsServer server, NatsBusSpec.Mode mode, String name) {
    NatsConnectionSpec connection = NatsConnectionSpec.of(server.uri()).withName(name)
        .withTimings(Duration.ofSeconds(2), Duration.ofMillis(250));
    NatsBusSpec core = NatsBusSpec.core(connection).withSubject(subject());
    return mode == NatsBusSpec.Mode.CORE ? core
        : new NatsBusSpec(NatsBusSpec.Mode.JETSTREAM, connection, subject(), core.requestTimeout(),
            JetStreamSpec.of(name + "-" + id).withStream(stream()));
  }

  String subject() {
    return "it." + id;
  }

  String stream() {
    return "IT_" + id;
  }

  /** Memory over the shared remote, with the bus. */
  <K, V> LayerCacheConfiguration<K, V> config(BusSpec bus, BusSettings settings) {
    return new LayerCacheConfiguration<K, V>().setLayers(MemoryLayerSpec.defaults(), remote.spec())
        .setBus(BusConfig.of(bus, settings));
  }

  /** Cache {@code name} on a new instance. */
  Cache<String, String> instance(String cacheName, BusSpec bus, BusSettings settings) {
    return newManager().createCache(cacheName, this.<String, String>config(bus, settings));
  }

  CacheManager newManager() {
    return instances.newInstance();
  }

  @SuppressWarnings("unchecked")
  static <K, V> LayerCache<K, V> layered(Cache<K, V> cache) {
    return cache.unwrap(LayerCache.class);
  }

  static BusStatistics stats(Cache<?, ?> cache) {
    return layered(cache).busStatistics().orElseThrow();
  }

  static Optional<String> layerOf(Cache<String, String> cache, String key) {
    return layered(cache).entryInfo(key).map(EntryInfo::layer);
  }

  /** Reads each key until the cache's memory layer holds it, so a test can fail without a bus. */
  static void warm(Cache<String, String> cache, String... keys) {
    for (String key : keys) {
      await().atMost(WITHIN).untilAsserted(() -> {
        assertThat(cache.get(key)).isNotNull();
        assertThat(layerOf(cache, key)).hasValue("memory");
      });
    }
  }

  /** Waits until the instance's bus is healthy: connected, subscribed, own heartbeats back. */
  static void awaitHealthy(Cache<String, String> cache) {
    await().atMost(WITHIN).until(() -> stats(cache).healthy());
  }
}
