package io.layercache.benchmarks.bus;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusSpec;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.rabbitmq.RabbitMqBusSpec;
import io.layercache.rabbitmq.RabbitMqConnection;
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisLayerSpec;
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
 * Fan-out latency of the invalidation bus (Redis pub/sub, or RabbitMQ at most once or durable)
 * across 3 JVMs on one host: instance A (this JVM)
 * changes a key that instances B and C (child JVMs, {@link FanOutObserver}) hold in memory, and
 * each reports when its memory copy is gone. Half the changes are puts, half removes. Prints
 * p50/p99/max from A's operation returning (committed) to the copy being gone on B and on C.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.bus.FanOutLatency [rounds] [redis|rabbitmq|rabbitmq-durable]
 * </pre>
 *
 * The shared layer is Redis in every case; with {@code rabbitmq} the bus runs on a broker started
 * here (Debian's rabbitmq-server, see {@link RabbitMqServer}), and the floor is a raw fanout
 * exchange between the same JVMs.
 */
public final class FanOutLatency {

  private static final String CHANNEL = "fanout:invalidations";

  private FanOutLatency() {}

  /** Where the instances meet: the Redis layer, and the bus kind with the broker's URL ("-" for none). */
  record Target(String bus, String redisUri, String amqpUrl) {
    boolean rabbit() {
      return bus.startsWith("rabbitmq");
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    String bus = args.length > 1 ? args[1] : "redis";
    try (RedisServer redis = RedisServer.start();
        RabbitMqServer rabbit = bus.startsWith("rabbitmq") ? RabbitMqServer.startLocal() : null;
        CacheManager manager = instance("writer")) {
      Target target = new Target(bus, redis.uri(), rabbit == null ? "-" : rabbit.url());
      LayerCache<String, String> a = cache(manager, target, "writer");
      List<Observer> observers = List.of(Observer.start(target), Observer.start(target));
      List<Long> fromCommit = new ArrayList<>();
      List<Long> fromCall = new ArrayList<>();
      // Every key is written before the rounds, and their invalidations delivered, so the only
      // message about a key during its round is the measured change.
      for (int round = 0; round < rounds + 200; round++) {
        a.asJCache().put("k-" + round, "v0");
      }
      Thread.sleep(2_000);
      for (int round = 0; round < rounds + 200; round++) {
        String key = "k-" + round;
        for (Observer o : observers) {
          o.send("WARM " + key).expect("WARM " + key);
        }
        for (Observer o : observers) {
          o.send("WATCH " + key);
        }
        long called = System.nanoTime();
        if (round % 2 == 0) {
          a.asJCache().put(key, "v1");
        } else {
          a.asJCache().remove(key);
        }
        long committed = System.nanoTime();
        for (Observer o : observers) {
          long gone = Long.parseLong(o.expect("GONE " + key).split(" ")[2]);
          if (round >= 200) { // the first 200 rounds warm up the JIT of all three JVMs
            fromCommit.add(gone - committed);
            fromCall.add(gone - called);
          }
        }
      }
      List<Long> raw = rawFloor(target, observers, rounds + 200);
      observers.forEach(Observer::close);
      System.out.printf(Locale.ROOT, "%n[bus fan-out] %s, 3 JVMs, %d changes x 2 receivers (put/remove alternating)%n"
          + "  LayerCache bus, from A's operation returning: %s%n"
          + "  LayerCache bus, from A's call:                 %s%n"
          + "  raw %s (the floor), send to receive: %s%n%n",
          target.rabbit() ? (bus.endsWith("durable") ? "RabbitMQ durable" : "RabbitMQ at most once") : "Redis pub/sub", rounds, summary(fromCommit), summary(fromCall),
          target.rabbit() ? "amqp-client fanout" : "Redisson pub/sub", summary(raw));
    }
  }

  /** The same JVMs over the raw transport: what it alone costs here. */
  private static List<Long> rawFloor(Target target, List<Observer> observers, int count) throws Exception {
    for (Observer o : observers) {
      o.send("RAW " + count).expect("RAW ready");
    }
    if (target.rabbit()) {
      RawAmqp.send(target.amqpUrl(), count);
    } else {
      RawPubSub.send(target.redisUri(), count);
    }
    List<Long> latencies = new ArrayList<>();
    for (Observer o : observers) {
      String[] values = o.expect("RAWDONE ").substring("RAWDONE ".length()).split(",");
      for (int i = 200; i < values.length; i++) { // the same warm-up as the bus rounds
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
  static LayerCache<String, String> cache(CacheManager manager, Target target, String instance) {
    RedisLayerSpec layer = RedisLayerSpec.of(target.redisUri()).withNamespace("fanout");
    BusSpec bus = new RedisBusSpec(layer.connection(), CHANNEL);
    if (target.rabbit()) {
      RabbitMqBusSpec rabbit = RabbitMqBusSpec.of(RabbitMqConnection.url(target.amqpUrl()), "fanout.invalidations");
      bus = target.bus().equals("rabbitmq-durable") ? rabbit.durableMode("fanout-" + instance) : rabbit;
    }
    LayerCacheConfiguration<String, String> config = new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setLayers(MemoryLayerSpec.defaults(), layer)
        .setBus(BusConfig.of(bus, BusSettings.defaults("fanout")));
    return manager.createCache("fanout", config).unwrap(LayerCache.class);
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

    static Observer start(Target target) throws IOException {
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-Dfanout.pollNanos=" + Long.getLong("fanout.pollNanos", 50_000), "-cp", System.getProperty("java.class.path"),
          FanOutObserver.class.getName(), target.redisUri(), target.bus(), target.amqpUrl());
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
