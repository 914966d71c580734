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

  private final HttpBenchmarkSettings settings;
  private final Origin origin;
  private final Origin pooled;
  private final Map<String, LayerCache<String, byte[]>> caches = new LinkedHashMap<>();

  private HttpBenchmarkServer(HttpBenchmarkSettings settings) {
    this.settings = settings;
    this.origin = new Origin(settings.originMillis(), settings.originConcurrency());
    this.pooled = new Origin(settings.originMillis(), settings.pooledOriginConcurrency());
  }

  public static void main(String[] args) throws IOException {
    // Without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold small responses
    // for ~40 ms on a kept-alive connection: every endpoint would measure that stall instead.
    System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    HttpBenchmarkServer service = new HttpBenchmarkServer(HttpBenchmarkSettings.parse(args));
    CacheManager manager = Caching.getCachingProvider(PROVIDER)
        .getCacheManager(URI.create("http-benchmark"), HttpBenchmarkServer.class.getClassLoader());
    service.createCaches(manager);
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), service.settings.port()), 1024);
    ExecutorService workers = Executors.newFixedThreadPool(service.settings.threads());
    server.setExecutor(workers);
    service.route(server);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      workers.shutdownNow();
      manager.close();
    }));
    System.out.println("READY " + server.getAddress().getPort());
  }

  private void createCaches(CacheManager manager) {
    RedisLayerSpec redis = RedisLayerSpec.of(settings.redis()).withNamespace("httpbench");
    caches.put("layered", cache(manager, "layered", redis, MemoryLayerSpec.defaults(), true));
    caches.put("memory", cache(manager, "memory", null, MemoryLayerSpec.defaults(), false));
    MemoryLayerSpec capped = MemoryLayerSpec.ofMaximumSize(settings.pressureMemoryEntries());
    caches.put("pressure", cache(manager, "pressure", redis, capped, true));
    caches.put("pressure-memory", cache(manager, "pressure-memory", null, capped, false));
    caches.values().forEach(cache -> cache.asJCache().clear()); // entries of an earlier run, kept in Redis
  }

  private void route(HttpServer server) {
    for (String name : caches.keySet()) {
      LayerCache<String, byte[]> cache = caches.get(name);
      int bytes = valueBytes(name);
      server.createContext("/" + name, new KeyEndpoint(key -> cache.get(key, k -> origin.fetch(name, k, bytes))));
    }
    server.createContext("/nocache", new KeyEndpoint(key -> origin.fetch("nocache", key, settings.valueBytes())));
    server.createContext("/nocache-pooled",
        new KeyEndpoint(key -> pooled.fetch("nocache-pooled", key, settings.valueBytes())));
    server.createContext("/fill", exchange -> {
      try (exchange) {
        String endpoint = String.valueOf(exchange.getRequestURI().getQuery()).replaceFirst("^endpoint=", "");
        int status = caches.containsKey(endpoint) ? 200 : 400;
        String body = status == 200 ? "filled " + fill(endpoint) : "no cached endpoint " + endpoint + "; known: " + caches.keySet();
        KeyEndpoint.send(exchange, status, (body + "\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    server.createContext("/stats", exchange -> {
      try (exchange) {
        KeyEndpoint.send(exchange, 200, stats().getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  /** Reads every key of a cached endpoint once, in order; returns how many. */
  private int fill(String endpoint) {
    LayerCache<String, byte[]> cache = caches.get(endpoint);
    int keys = endpoint.startsWith("pressure") ? settings.pressureKeys() : settings.keys();
    int bytes = valueBytes(endpoint);
    for (int k = 0; k < keys; k++) {
      cache.get(Integer.toString(k), key -> origin.fetch(endpoint, key, bytes));
    }
    return keys;
  }

  private int valueBytes(String endpoint) {
    return endpoint.startsWith("pressure") ? settings.pressureValueBytes() : settings.valueBytes();
  }

  private static LayerCache<String, byte[]> cache(CacheManager manager, String name, RedisLayerSpec redis,
      MemoryLayerSpec memory, boolean withRedis) {
    LayerCacheConfiguration<String, byte[]> config = new LayerCacheConfiguration<String, byte[]>()
        .setTypes(String.class, byte[].class);
    config.setStoreByValue(false); // the same for every endpoint: the values are never modified
    // the pressure caches' layer hits are reported; the other endpoints measure the default (statistics off)
    config.setStatisticsEnabled(name.startsWith("pressure"));
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
  private String stats() {
    StringBuilder out = new StringBuilder();
    for (String endpoint : new String[] {"layered", "memory", "nocache", "pressure", "pressure-memory"}) {
      out.append("fetches ").append(endpoint).append(' ').append(origin.fetches(endpoint)).append('\n');
    }
    out.append("fetches nocache-pooled ").append(pooled.fetches("nocache-pooled")).append('\n');
    for (String name : new String[] {"pressure", "pressure-memory"}) {
      for (LayerStatistics layer : caches.get(name).layerStatistics()) {
        out.append("hits ").append(name).append(' ').append(layer.layer()).append(' ').append(layer.hits()).append('\n');
      }
    }
    return out.toString();
  }
}
