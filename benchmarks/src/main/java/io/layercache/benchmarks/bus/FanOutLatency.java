package io.layercache.benchmarks.bus;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusSpec;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.nats.JetStreamSpec;
import io.layercache.nats.NatsBusSpec;
import io.layercache.nats.NatsConnectionSpec;
import io.layercache.rabbitmq.RabbitMqBusSpec;
import io.layercache.rabbitmq.RabbitMqConnection;
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.NatsServer;
import io.layercache.testsupport.RabbitMqServer;
import io.layercache.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * Fan-out latency of the Redis invalidation bus across 3 JVMs on one host: instance A (this JVM)
 * changes a key that instances B and C (child JVMs, {@link FanOutObserver}) hold in memory, and
 * each reports when its memory copy is gone. Half the changes are puts, half removes. Prints
 * p50/p99/max from A's operation returning (committed) to the copy being gone on B and on C; then
 * the same for Redisson's {@code RLocalCachedMap} ({@link LocalCachedMapPeer}) and raw Redisson
 * pub/sub ({@link RawPubSub}), in the same JVMs and the same run.
 *
 * <pre>
 *   java [-Dfanout.bus=redis|nats-core|nats-jetstream|rabbitmq|rabbitmq-durable] \
 *       [-Dfanout.observe=event|poll] -cp benchmarks/target/benchmarks.jar \
 *       io.layercache.benchmarks.bus.FanOutLatency [rounds]
 * </pre>
 *
 * <p>The cache is memory over Redis in every case; {@code fanout.bus} picks the bus: Redis
 * pub/sub (default, with the {@code RLocalCachedMap} comparison), NATS core or JetStream on a
 * {@code nats-server -js} started here, whose floor is then raw NATS core publish/subscribe
 * ({@link RawNats}), or RabbitMQ at most once or in durable mode on a {@code rabbitmq-server}
 * started here, whose floor is a raw fanout exchange ({@link RawAmqp}).
 */
public final class FanOutLatency {

  private static final String CHANNEL = "fanout:invalidations";
  private static final int WARM_UP = 200;
  /** The bus measured: redis, nats-core, nats-jetstream, rabbitmq or rabbitmq-durable. */
  static final String BUS = System.getProperty("fanout.bus", "redis");

  private FanOutLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    if (!BUS.equals("redis")) {
      broker(rounds);
      return;
    }
    try (RedisServer redis = RedisServer.start();
        CacheManager manager = instance("writer");
        LocalCachedMapPeer reference = new LocalCachedMapPeer(redis.uri())) {
      LayerCache<String, String> a = cache(manager, redis.uri(), CHANNEL);
      List<Observer> observers = List.of(Observer.start(redis.uri()), Observer.start(redis.uri()));
      Timings bus = busRounds(a, observers, rounds);
      Timings map = rounds(observers, "LCM", rounds, reference::prepare, reference::change);
      List<Long> raw = rawFloor(redis.uri(), observers, rounds + WARM_UP);
      observers.forEach(Observer::close);
      System.out.printf(Locale.ROOT, "%n[bus fan-out] Redis pub/sub, 3 JVMs, %d changes x 2 receivers (put/remove alternating)%n"
          + "  LayerCache bus, from A's operation returning: %s%n"
          + "  LayerCache bus, from A's call:                 %s%n"
          + "  Redisson RLocalCachedMap (INVALIDATE), from A's operation returning: %s%n"
          + "  Redisson RLocalCachedMap (INVALIDATE), from A's call:                 %s%n"
          + "  raw Redisson pub/sub (the floor), send to receive: %s%n%n",
          rounds, summary(bus.fromCommit()), summary(bus.fromCall()), summary(map.fromCommit()),
          summary(map.fromCall()), summary(raw));
    }
  }

  /**
   * The NATS and RabbitMQ runs: the bus on a broker of its own, and the raw broker beside it (the
   * floor).
   */
  private static void broker(int rounds) throws Exception {
    try (RedisServer redis = RedisServer.start();
        AutoCloseable broker = startBroker();
        CacheManager manager = instance("writer")) {
      LayerCache<String, String> a = cache(manager, redis.uri(), CHANNEL);
      List<Observer> observers = List.of(Observer.start(redis.uri()), Observer.start(redis.uri()));
      Timings bus = busRounds(a, observers, rounds);
      List<Long> raw = rawFloor(System.getProperty("fanout.broker"), observers, rounds + WARM_UP);
      observers.forEach(Observer::close);
      System.out.printf(Locale.ROOT, "%n[bus fan-out] %s, 3 JVMs, %d changes x 2 receivers (put/remove alternating)%n"
          + "  LayerCache bus, from A's operation returning: %s%n"
          + "  LayerCache bus, from A's call:                 %s%n"
          + "  %s (the floor), send to receive: %s%n%n",
          BUS, rounds, summary(bus.fromCommit()), summary(bus.fromCall()),
          BUS.startsWith("nats") ? "raw NATS core pub/sub" : "raw AMQP fanout exchange", summary(raw));
    }
  }

  /** Starts the broker {@code fanout.bus} needs and names its URI in {@code fanout.broker}. */
  private static AutoCloseable startBroker() {
    if (BUS.startsWith("nats")) {
      NatsServer nats = NatsServer.start();
      System.setProperty("fanout.broker", nats.uri());
      return nats;
    }
    RabbitMqServer rabbit = RabbitMqServer.startLocal();
    System.setProperty("fanout.broker", rabbit.url());
    return rabbit;
  }

  /** The bus rounds: A's cache puts (even rounds) or removes (odd rounds) each key once. */
  private static Timings busRounds(LayerCache<String, String> a, List<Observer> observers, int rounds)
      throws InterruptedException {
    return rounds(observers, "", rounds, key -> a.asJCache().put(key, "v0"), (key, round) -> {
      if (round % 2 == 0) {
        a.asJCache().put(key, "v1");
      } else {
        a.asJCache().remove(key);
      }
    });
  }

  /** Receipt times of one cache, from the writer's operation returning and from its call. */
  private record Timings(List<Long> fromCommit, List<Long> fromCall) {}

  /**
   * Every key is written and its invalidation delivered first, so the only message about a key
   * during its round is the measured change. Then, per round, both observers hold the key in
   * their local layer, A changes it, and each observer reports when its copy is gone. The first
   * {@link #WARM_UP} rounds warm up the JIT of all three JVMs and are dropped.
   */
  private static Timings rounds(List<Observer> observers, String prefix, int rounds,
      java.util.function.Consumer<String> prepare, java.util.function.ObjIntConsumer<String> change)
      throws InterruptedException {
    for (int round = 0; round < rounds + WARM_UP; round++) {
      prepare.accept(prefix + "k-" + round);
    }
    Thread.sleep(2_000);
    List<Long> fromCommit = new ArrayList<>();
    List<Long> fromCall = new ArrayList<>();
    for (int round = 0; round < rounds + WARM_UP; round++) {
      String key = prefix + "k-" + round;
      for (Observer o : observers) {
        o.send(prefix + "WARM " + key).expect(prefix + "WARM " + key);
      }
      for (Observer o : observers) {
        o.send(prefix + "WATCH " + key);
      }
      long called = System.nanoTime();
      change.accept(key, round);
      long committed = System.nanoTime();
      for (Observer o : observers) {
        long gone = Long.parseLong(o.expect("GONE " + key).split(" ")[2]);
        if (round >= WARM_UP) {
          fromCommit.add(gone - committed);
          fromCall.add(gone - called);
        }
      }
    }
    return new Timings(fromCommit, fromCall);
  }

  /** The same JVMs over the raw transport (Redisson pub/sub, or NATS core): what it alone costs here. */
  private static List<Long> rawFloor(String uri, List<Observer> observers, int count) throws Exception {
    for (Observer o : observers) {
      o.send("RAW " + count).expect("RAW ready");
    }
    if (BUS.startsWith("nats")) {
      RawNats.send(uri, count);
    } else if (BUS.startsWith("rabbitmq")) {
      RawAmqp.send(uri, count);
    } else {
      RawPubSub.send(uri, count);
    }
    List<Long> latencies = new ArrayList<>();
    for (Observer o : observers) {
      String[] values = o.expect("RAWDONE ").substring("RAWDONE ".length()).split(",");
      for (int i = WARM_UP; i < values.length; i++) { // the same warm-up as the bus rounds
        latencies.add(Long.parseLong(values[i]));
      }
    }
    return latencies;
  }

  static String summary(List<Long> nanos) {
    nanos.sort(null);
    return String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms, max %.3f ms", nanos.get(nanos.size() / 2) / 1e6,
        nanos.get((int) (nanos.size() * 0.99)) / 1e6, nanos.get(nanos.size() - 1) / 1e6);
  }

  static CacheManager instance(String name) {
    return Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(URI.create("fanout:" + name), FanOutLatency.class.getClassLoader());
  }

  @SuppressWarnings("unchecked")
  static LayerCache<String, String> cache(CacheManager manager, String redisUri, String channel) {
    RedisLayerSpec layer = RedisLayerSpec.of(redisUri).withNamespace("fanout");
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), layer)
        .setBus(BusConfig.of(bus(layer, channel, manager.getURI().getSchemeSpecificPart()),
            BusSettings.defaults("fanout")));
    return manager.createCache("fanout", config).unwrap(LayerCache.class);
  }

  /** The bus {@code fanout.bus} names; a JetStream consumer per instance. */
  private static BusSpec bus(RedisLayerSpec layer, String channel, String instance) {
    if (BUS.equals("redis")) {
      return new RedisBusSpec(layer.connection(), channel);
    }
    String broker = System.getProperty("fanout.broker");
    if (BUS.startsWith("rabbitmq")) {
      RabbitMqBusSpec rabbit = RabbitMqBusSpec.of(RabbitMqConnection.url(broker), "fanout.invalidations");
      return BUS.equals("rabbitmq-durable") ? rabbit.durableMode("fanout-" + instance) : rabbit;
    }
    NatsConnectionSpec nats = NatsConnectionSpec.of(broker);
    return switch (BUS) {
      case "nats-core" -> NatsBusSpec.core(nats).withSubject("fanout.invalidations");
      case "nats-jetstream" -> NatsBusSpec.jetStream(nats, JetStreamSpec.of("fanout-" + instance)
          .withStream("FANOUT")).withSubject("fanout.invalidations");
      default -> throw new IllegalArgumentException("fanout.bus must be redis, nats-core, nats-jetstream, rabbitmq or rabbitmq-durable, was " + BUS);
    };
  }

  static boolean inMemory(LayerCache<String, String> cache, String key) {
    return cache.entryInfo(key).map(info -> info.layer().equals("memory")).orElse(false);
  }

  /** A child JVM running {@link FanOutObserver}. */
  private static final class Observer implements AutoCloseable {
    private final Process process;
    private final PrintWriter out;
    private final BufferedReader in;

    private Observer(Process process) {
      this.process = process;
      this.out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Observer start(String redisUri) throws IOException {
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-Dfanout.pollNanos=" + Long.getLong("fanout.pollNanos", 50_000), "-Dfanout.bus=" + BUS,
          "-Dfanout.observe=" + System.getProperty("fanout.observe", "event"),
          "-Dfanout.broker=" + System.getProperty("fanout.broker", ""), "-cp", System.getProperty("java.class.path"), FanOutObserver.class.getName(), redisUri, CHANNEL);
      Observer observer = new Observer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
      observer.expect("READY");
      return observer;
    }

    Observer send(String line) {
      out.println(line);
      return this;
    }

    String expect(String prefix) {
      try {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      throw new IllegalStateException("observer ended before " + prefix);
    }

    @Override
    public void close() {
      send("EXIT");
      process.destroy();
    }
  }
}
