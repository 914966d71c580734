package io.layercache.benchmarks.bus;

import io.layercache.LayerCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import io.layercache.event.CacheEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;

/**
 * One observing instance of {@link FanOutLatency}, in a JVM of its own, driven over stdin/stdout:
 *
 * <pre>
 *   args: redis-uri channel
 *   out:  READY
 *   in:   WARM key        (reads the key until its memory layer holds it)
 *   out:  WARM key
 *   in:   WATCH key       (spins until the memory copy is gone)
 *   out:  GONE key nanoTime
 *   in:   LCMWARM key     (the same with Redisson's RLocalCachedMap, the reference)
 *   out:  LCMWARM key
 *   in:   LCMWATCH key    out: GONE key nanoTime
 *   in:   RAW n           (subscribes a raw Redisson topic, the floor: n timestamps follow)
 *   out:  RAW ready
 *   out:  RAWDONE nanos,nanos,...   (receive time minus send time of each)
 *   in:   EXIT
 * </pre>
 *
 * {@code System.nanoTime} is CLOCK_MONOTONIC on Linux: comparable across the processes of one host.
 *
 * <p>With {@code fanout.observe=event} (the default) the time a copy is gone is taken by a
 * listener of the cache's {@code RemoteInvalidated} event, published right after the bus dropped
 * the copy, and checked afterwards by reading the layer; with {@code fanout.observe=poll} the
 * memory layer is polled every ~50 µs instead, which adds up to about that much to each figure and
 * keeps two threads waking 20,000 times a second on a machine that may have two cores.
 */
public final class FanOutObserver {

  private static final boolean POLL = System.getProperty("fanout.observe", "event").equals("poll");

  private final String redisUri;
  private final LayerCache<String, String> cache;
  private final LocalCachedMapPeer reference;
  /** When the bus dropped each key's memory copy (the {@code RemoteInvalidated} event), by key. */
  private final Map<String, CompletableFuture<Long>> dropped = new ConcurrentHashMap<>();

  private FanOutObserver(String redisUri, LayerCache<String, String> cache, LocalCachedMapPeer reference) {
    this.redisUri = redisUri;
    this.cache = cache;
    this.reference = reference;
    cache.subscribe(event -> {
      if (event instanceof CacheEvent.RemoteInvalidated<String> invalidated) {
        long now = System.nanoTime();
        dropped.computeIfAbsent(invalidated.key(), k -> new CompletableFuture<>()).complete(now);
      }
    });
  }

  public static void main(String[] args) throws Exception {
    try (CacheManager manager = FanOutLatency.instance("observer-" + ProcessHandle.current().pid())) {
      FanOutObserver observer = new FanOutObserver(args[0], FanOutLatency.cache(manager, args[0], args[1]),
          new LocalCachedMapPeer(args[0]));
      say("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
        observer.handle(line.split(" "));
      }
      observer.reference.close();
    }
  }

  /** One command from the writer (see the protocol above). */
  private void handle(String[] cmd) throws Exception {
    switch (cmd[0]) {
      case "WARM" -> warm(cmd[1]);
      case "LCMWARM" -> {
        reference.warm(cmd[1]);
        say("LCMWARM " + cmd[1]);
      }
      case "LCMWATCH" -> {
        if (POLL) {
          reference.watch(cmd[1], Long.getLong("fanout.pollNanos", 50_000));
          say("GONE " + cmd[1] + " " + System.nanoTime());
        } else {
          say("GONE " + cmd[1] + " " + reference.invalidated(cmd[1]));
        }
      }
      case "RAW" -> raw(Integer.parseInt(cmd[1]));
      case "WATCH" -> say("GONE " + cmd[1] + " " + (POLL ? pollUntilGone(cmd[1]) : awaitDropped(cmd[1])));
      default -> { } // unknown commands are ignored, as before
    }
  }

  private void warm(String key) {
    while (!FanOutLatency.inMemory(cache, key)) {
      cache.asJCache().get(key);
    }
    dropped.remove(key); // forget the invalidation of the key's first write
    say("WARM " + key);
  }

  /** The floor: the same timestamps over the raw transport, no cache around it. */
  private void raw(int count) throws Exception {
    if (FanOutLatency.BUS.startsWith("nats")) {
      RawNats.receive(System.getProperty("fanout.broker"), count, FanOutObserver::say);
    } else if (FanOutLatency.BUS.startsWith("rabbitmq")) {
      RawAmqp.receive(System.getProperty("fanout.broker"), count, FanOutObserver::say);
    } else {
      RawPubSub.receive(redisUri, count, FanOutObserver::say);
    }
  }

  /** When the {@code RemoteInvalidated} event of {@code key} came, checked against the layer. */
  private long awaitDropped(String key) throws Exception {
    long gone = dropped.computeIfAbsent(key, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
    if (FanOutLatency.inMemory(cache, key)) {
      throw new IllegalStateException("RemoteInvalidated of " + key + " but the memory layer still holds it");
    }
    return gone;
  }

  private long pollUntilGone(String key) {
    while (FanOutLatency.inMemory(cache, key)) {
      // Polls every ~50 µs rather than spinning: two spinning observers would take both
      // cores from the writer and Redis and measure the starvation instead of the bus.
      java.util.concurrent.locks.LockSupport.parkNanos(Long.getLong("fanout.pollNanos", 50_000));
    }
    return System.nanoTime();
  }

  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
