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
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.NatsServer;
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
 * p50/p99/max from A's operation returning (committed) to the copy being gone on B and on C.
 *
 * <pre>
 *   java [-Dfanout.bus=redis|nats-core|nats-jetstream] -cp benchmarks/target/benchmarks.jar \
 *       io.layercache.benchmarks.bus.FanOutLatency [rounds]
 * </pre>
 *
 * <p>The cache is memory over Redis in every case; {@code fanout.bus} picks the bus: Redis
 * pub/sub (default), or NATS core or JetStream on a {@code nats-server -js} started here, whose
 * floor is then raw NATS core publish/subscribe.
 */
public final class FanOutLatency {

  private static final String CHANNEL = "fanout:invalidations";
  /** The bus measured: redis, nats-core or nats-jetstream. */
  static final String BUS = System.getProperty("fanout.bus", "redis");

  private FanOutLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    try (RedisServer redis = RedisServer.start();
        NatsServer nats = BUS.startsWith("nats") ? NatsServer.start() : null;
        CacheManager manager = instance("writer")) {
      String natsUri = nats == null ? "" : nats.uri();
      System.setProperty("fanout.nats", natsUri);
      LayerCache<String, String> a = cache(manager, redis.uri(), CHANNEL);
      List<Observer> observers = List.of(Observer.start(redis.uri()), Observer.start(redis.uri()));
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
      List<Long> raw = rawFloor(nats == null ? redis.uri() : natsUri, observers, rounds + 200);
      observers.forEach(Observer::close);
      System.out.printf(Locale.ROOT, "%n[bus fan-out] %s, 3 JVMs, %d changes x 2 receivers (put/remove alternating)%n"
          + "  LayerCache bus, from A's operation returning: %s%n"
          + "  LayerCache bus, from A's call:                 %s%n"
          + "  raw %s (the floor), send to receive: %s%n%n", BUS, rounds, summary(fromCommit),
          summary(fromCall), nats == null ? "Redisson pub/sub" : "NATS core pub/sub", summary(raw));
    }
  }

  /** The same JVMs over raw Redisson pub/sub: what the transport alone costs here. */
  private static List<Long> rawFloor(String uri, List<Observer> observers, int count) throws Exception {
    for (Observer o : observers) {
      o.send("RAW " + count).expect("RAW ready");
    }
    if (BUS.startsWith("nats")) {
      RawNats.send(uri, count);
    } else {
      RawPubSub.send(uri, count);
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
    NatsConnectionSpec nats = NatsConnectionSpec.of(System.getProperty("fanout.nats"));
    return switch (BUS) {
      case "nats-core" -> NatsBusSpec.core(nats).withSubject("fanout.invalidations");
      case "nats-jetstream" -> NatsBusSpec.jetStream(nats, JetStreamSpec.of("fanout-" + instance)
          .withStream("FANOUT")).withSubject("fanout.invalidations");
      default -> throw new IllegalArgumentException("fanout.bus must be redis, nats-core or nats-jetstream, was " + BUS);
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
          "-Dfanout.nats=" + System.getProperty("fanout.nats", ""), "-cp", System.getProperty("java.class.path"), FanOutObserver.class.getName(), redisUri, CHANNEL);
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
