package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.layercache.EntryInfo;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusStatistics;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.CacheInstances;
import io.layercache.testing.InMemoryRemote;
import io.layercache.testsupport.RabbitMqServer;
import io.layercache.testsupport.RabbitMqServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instances (cache managers with their own memory layer) on one real broker: each test gets an
 * exchange of its own, the instances share an in-JVM remote layer standing for Redis (or have
 * memory layers only), and everything is closed after the test.
 */
@ExtendWith(RabbitMqServerExtension.class)
abstract class RabbitMqFixture {

  static final Duration WITHIN = Duration.ofSeconds(10);

  /** The two deliveries of the transport. */
  enum Mode {
    AT_MOST_ONCE, DURABLE
  }

  protected final RabbitMqServer broker;
  protected final CacheInstances instances = new CacheInstances(getClass().getClassLoader());
  protected final InMemoryRemote remote = InMemoryRemote.create();
  protected final String exchange = "test." + UUID.randomUUID();
  private final List<String> queues = new ArrayList<>();
  private final List<CacheManager> managers = new ArrayList<>();
  private Connection admin;

  RabbitMqFixture(RabbitMqServer broker) {
    this.broker = broker;
  }

  /**
   * The default heartbeat (1 s) and reconcile interval (5 s): a test that checks what stays in a
   * memory layer must not see it emptied because a loaded machine delayed the instance's own
   * heartbeats by 3 × 200 ms.
   */
  static BusSettings steadySettings(String source) {
    return BusSettings.defaults(source);
  }

  /** Heartbeats every 200 ms, repairs within a second: fault tests finish quickly. */
  static BusSettings fastSettings(String source) {
    return BusSettings.defaults(source).withIntervals(Duration.ofMillis(200), Duration.ofSeconds(1));
  }

  /** The at-most-once bus on this test's exchange. */
  RabbitMqBusSpec atMostOnce() {
    return RabbitMqBusSpec.of(RabbitMqConnection.url(broker.url()), exchange);
  }

  /** The durable bus on this test's exchange, for the instance that reads {@code queue}. */
  RabbitMqBusSpec durable(String queue) {
    String name = exchange + "." + queue;
    queues.add(name);
    return atMostOnce().durableMode(name);
  }

  /** The bus of {@code mode} for instance number {@code index}. */
  RabbitMqBusSpec spec(Mode mode, int index) {
    return mode == Mode.DURABLE ? durable("instance-" + index) : atMostOnce();
  }

  /** Memory + the shared in-JVM remote layer, on {@code bus}. */
  LayerCacheConfiguration<String, String> memoryAndRemote(RabbitMqBusSpec bus, BusSettings settings) {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), remote.spec()).setBus(BusConfig.of(bus, settings));
  }

  /** A memory layer only, on {@code bus}. */
  static LayerCacheConfiguration<String, String> memoryOnly(RabbitMqBusSpec bus, BusSettings settings) {
    return new LayerCacheConfiguration<String, String>().setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults()).setBus(BusConfig.of(bus, settings));
  }

  /** Cache {@code name} on a new instance. */
  LayerCache<String, String> newInstance(String name, LayerCacheConfiguration<String, String> config) {
    return instances.newCache(name, config);
  }

  /** A new instance (cache manager) the test may close on its own, as an instance stopping. */
  CacheManager newManager() {
    return instances.newInstance();
  }

  /** Closes {@code manager} after the test with the other instances. */
  void closeLater(CacheManager manager) {
    managers.add(manager);
  }

  static BusStatistics stats(LayerCache<?, ?> cache) {
    return cache.busStatistics().orElseThrow();
  }

  static Optional<String> layerOf(LayerCache<String, ?> cache, String key) {
    return cache.entryInfo(key).map(EntryInfo::layer);
  }

  /** Reads {@code keys} on {@code cache} until its memory layer holds them, so a test can fail without a bus. */
  static void warm(LayerCache<String, String> cache, String... keys) {
    for (String key : keys) {
      await().atMost(WITHIN).untilAsserted(() -> {
        assertThat(cache.asJCache().get(key)).as(key).isNotNull();
        assertThat(layerOf(cache, key)).as(key).hasValue("memory");
      });
    }
  }

  /** Waits until every cache's bus is up and trusts its subscription. */
  static void awaitHealthy(List<? extends LayerCache<?, ?>> caches) {
    await().atMost(WITHIN).untilAsserted(() -> {
      for (LayerCache<?, ?> cache : caches) {
        assertThat(stats(cache).healthy()).as(cache + " " + stats(cache)).isTrue();
      }
    });
  }

  /** A connection of the test's own, to publish raw bytes and look at queues. */
  Connection admin() throws Exception {
    if (admin == null || !admin.isOpen()) {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(broker.url());
      admin = factory.newConnection("layercache test admin");
    }
    return admin;
  }

  /** Messages waiting in {@code queue} (declared by a durable bus of this test). */
  long waiting(String queue) throws Exception {
    try (Channel channel = admin().createChannel()) {
      return channel.queueDeclarePassive(exchange + "." + queue).getMessageCount();
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    instances.close();
    managers.forEach(CacheManager::close);
    remote.forget();
    if (!broker.owned() || broker.isAlive()) {
      try (Channel channel = admin().createChannel()) {
        for (String queue : queues) {
          channel.queueDelete(queue);
        }
        channel.exchangeDelete(exchange);
      }
    }
    if (admin != null && admin.isOpen()) {
      admin.close();
    }
  }
}
