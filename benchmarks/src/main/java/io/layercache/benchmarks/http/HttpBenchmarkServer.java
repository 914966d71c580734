package io.layercache.benchmarks.http;

import com.sun.net.httpserver.HttpServer;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisBusSpec;
import io.layercache.redis.RedisLayerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * A small HTTP service on the JDK's {@link HttpServer} whose endpoints answer the same keys from
 * the same slow origin in different ways, for {@code scripts/http-benchmark.sh} to load with wrk:
 *
 * <ul>
 *   <li>{@code /layered?k=}: LayerCache on memory over Redis (with the Redis invalidation bus);
 *   <li>{@code /memory?k=}: LayerCache on memory only;
 *   <li>{@code /nocache?k=}: the origin on every request;
 *   <li>{@code /nocache-pooled?k=}: the same on an origin serving {@code pooled-origin-concurrency}
 *       fetches at once (by default as many as wrk's connections: no queueing at the origin);
 *   <li>{@code /pressure?k=}: memory capped at {@code pressure-memory-entries} over Redis, with
 *       values of {@code pressure-value-bytes}; {@code /pressure-memory?k=}: the same memory cap
 *       without Redis;
 *   <li>{@code /fill?endpoint=<cached endpoint>}: reads every key of the endpoint once, in order
 *       (the warm-up of the cached endpoints, and the writes of the memory-pressure scenario);
 *   <li>{@code /stats}: origin fetches per endpoint and the pressure caches' per-layer hits.
 * </ul>
 *
 * Prints {@code READY <port>} when it serves. Arguments: {@link HttpBenchmarkSettings}.
 */
public final class HttpBenchmarkServer {

  private static final String PROVIDER = "io.layercache.jcache.LayerCachingProvider";

  private HttpBenchmarkServer() {}

  public static void main(String[] args) throws IOException {
    // Without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold small responses
    // for ~40 ms on a kept-alive connection: every endpoint would measure that stall instead.
    System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    HttpBenchmarkSettings settings = HttpBenchmarkSettings.parse(args);
    Origin origin = new Origin(settings.originMillis(), settings.originConcurrency());
    CacheManager manager = Caching.getCachingProvider(PROVIDER)
        .getCacheManager(URI.create("http-benchmark"), HttpBenchmarkServer.class.getClassLoader());
    RedisLayerSpec redis = RedisLayerSpec.of(settings.redis()).withNamespace("httpbench");
    Map<String, LayerCache<String, byte[]>> caches = new LinkedHashMap<>();
    caches.put("layered", cache(manager, "layered", redis, MemoryLayerSpec.defaults(), true));
    caches.put("memory", cache(manager, "memory", null, MemoryLayerSpec.defaults(), false));
    MemoryLayerSpec capped = MemoryLayerSpec.ofMaximumSize(settings.pressureMemoryEntries());
    caches.put("pressure", cache(manager, "pressure", redis, capped, true));
    caches.put("pressure-memory", cache(manager, "pressure-memory", null, capped, false));
    caches.values().forEach(cache -> cache.asJCache().clear());

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 1024);
    ExecutorService workers = Executors.newFixedThreadPool(settings.threads());
    server.setExecutor(workers);
    for (String name : caches.keySet()) {
      int bytes = name.startsWith("pressure") ? settings.pressureValueBytes() : settings.valueBytes();
      LayerCache<String, byte[]> cache = caches.get(name);
      server.createContext("/" + name, new KeyEndpoint(key -> cache.get(key, k -> origin.fetch(name, k, bytes))));
    }
    server.createContext("/nocache", new KeyEndpoint(key -> origin.fetch("nocache", key, settings.valueBytes())));
    Origin pooled = new Origin(settings.originMillis(), settings.pooledOriginConcurrency());
    server.createContext("/nocache-pooled", new KeyEndpoint(key -> pooled.fetch("nocache-pooled", key, settings.valueBytes())));
    server.createContext("/fill", exchange -> {
      try (exchange) {
        String endpoint = String.valueOf(exchange.getRequestURI().getQuery()).replaceFirst("^endpoint=", "");
        LayerCache<String, byte[]> cache = caches.get(endpoint);
        if (cache == null) {
          KeyEndpoint.send(exchange, 400, ("no cached endpoint " + endpoint + "; known: " + caches.keySet() + "\n")
              .getBytes(StandardCharsets.UTF_8));
          return;
        }
        boolean pressure = endpoint.startsWith("pressure");
        int keys = pressure ? settings.pressureKeys() : settings.keys();
        int bytes = pressure ? settings.pressureValueBytes() : settings.valueBytes();
        for (int k = 0; k < keys; k++) {
          cache.get(Integer.toString(k), key -> origin.fetch(endpoint, key, bytes));
        }
        KeyEndpoint.send(exchange, 200, ("filled " + keys + "\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    server.createContext("/stats", exchange -> {
      try (exchange) {
        String stats = stats(origin, caches) + "fetches nocache-pooled " + pooled.fetches("nocache-pooled") + "\n";
        KeyEndpoint.send(exchange, 200, stats.getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      workers.shutdownNow();
      manager.close();
    }));
    System.out.println("READY " + server.getAddress().getPort());
  }

  private static LayerCache<String, byte[]> cache(CacheManager manager, String name, RedisLayerSpec redis,
      MemoryLayerSpec memory, boolean withRedis) {
    LayerCacheConfiguration<String, byte[]> config = new LayerCacheConfiguration<String, byte[]>()
        .setTypes(String.class, byte[].class);
    config.setStoreByValue(false); // the same for every endpoint: the values are never modified
    if (withRedis) {
      config.setLayers(memory, redis).setBus(BusConfig.of(
          new RedisBusSpec(redis.connection(), "httpbench:invalidations"), BusSettings.defaults("httpbench")));
    } else {
      config.setLayers(memory);
    }
    @SuppressWarnings("unchecked")
    LayerCache<String, byte[]> cache = manager.createCache(name, config).unwrap(LayerCache.class);
    return cache;
  }

  /** One line per endpoint: {@code fetches <endpoint> <n>}, then {@code hits <cache> <layer> <n>}. */
  private static String stats(Origin origin, Map<String, LayerCache<String, byte[]>> caches) {
    StringBuilder out = new StringBuilder();
    for (String endpoint : new String[] {"layered", "memory", "nocache", "pressure", "pressure-memory"}) {
      out.append("fetches ").append(endpoint).append(' ').append(origin.fetches(endpoint)).append('\n');
    }
    for (String name : new String[] {"pressure", "pressure-memory"}) {
      for (LayerStatistics layer : caches.get(name).layerStatistics()) {
        out.append("hits ").append(name).append(' ').append(layer.layer()).append(' ').append(layer.hits()).append('\n');
      }
    }
    return out.toString();
  }
}
