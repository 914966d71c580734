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

  private FanOutObserver() {}

  public static void main(String[] args) throws Exception {
    try (CacheManager manager = FanOutLatency.instance("observer-" + ProcessHandle.current().pid())) {
      LayerCache<String, String> cache = FanOutLatency.cache(manager, args[0], args[1]);
      LocalCachedMapPeer reference = new LocalCachedMapPeer(args[0]);
      Map<String, CompletableFuture<Long>> dropped = new ConcurrentHashMap<>();
      cache.subscribe(event -> {
        if (event instanceof CacheEvent.RemoteInvalidated<String> invalidated) {
          long now = System.nanoTime();
          dropped.computeIfAbsent(invalidated.key(), k -> new CompletableFuture<>()).complete(now);
        }
      });
      say("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
        String[] cmd = line.split(" ");
        if (cmd[0].equals("WARM")) {
          while (!FanOutLatency.inMemory(cache, cmd[1])) {
            cache.asJCache().get(cmd[1]);
          }
          dropped.remove(cmd[1]); // forget the invalidation of the key's first write
          say("WARM " + cmd[1]);
        } else if (cmd[0].equals("LCMWARM")) {
          reference.warm(cmd[1]);
          say("LCMWARM " + cmd[1]);
        } else if (cmd[0].equals("LCMWATCH") && !POLL) {
          say("GONE " + cmd[1] + " " + reference.invalidated(cmd[1]));
        } else if (cmd[0].equals("LCMWATCH")) {
          reference.watch(cmd[1], Long.getLong("fanout.pollNanos", 50_000));
          say("GONE " + cmd[1] + " " + System.nanoTime());
        } else if (cmd[0].equals("RAW")) {
          if (FanOutLatency.BUS.startsWith("nats")) {
            RawNats.receive(System.getProperty("fanout.broker"), Integer.parseInt(cmd[1]), FanOutObserver::say);
          } else if (FanOutLatency.BUS.startsWith("rabbitmq")) {
            RawAmqp.receive(System.getProperty("fanout.broker"), Integer.parseInt(cmd[1]), FanOutObserver::say);
          } else {
            RawPubSub.receive(args[0], Integer.parseInt(cmd[1]), FanOutObserver::say);
          }
        } else if (cmd[0].equals("WATCH") && !POLL) {
          long gone = dropped.computeIfAbsent(cmd[1], k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
          if (FanOutLatency.inMemory(cache, cmd[1])) {
            throw new IllegalStateException("RemoteInvalidated of " + cmd[1] + " but the memory layer still holds it");
          }
          say("GONE " + cmd[1] + " " + gone);
        } else if (cmd[0].equals("WATCH")) {
          while (FanOutLatency.inMemory(cache, cmd[1])) {
            // Polls every ~50 µs rather than spinning: two spinning observers would take both
            // cores from the writer and Redis and measure the starvation instead of the bus.
            java.util.concurrent.locks.LockSupport.parkNanos(Long.getLong("fanout.pollNanos", 50_000));
          }
          say("GONE " + cmd[1] + " " + System.nanoTime());
        }
      }
      reference.close();
    }
  }

  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
