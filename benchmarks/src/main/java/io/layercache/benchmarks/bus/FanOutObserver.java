package io.layercache.benchmarks.bus;

import io.layercache.LayerCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * The memory layer is polled every ~50 µs, which adds up to about that much to each figure.
 */
public final class FanOutObserver {

  private FanOutObserver() {}

  public static void main(String[] args) throws Exception {
    try (CacheManager manager = FanOutLatency.instance("observer-" + ProcessHandle.current().pid())) {
      LayerCache<String, String> cache = FanOutLatency.cache(manager, args[0], args[1]);
      LocalCachedMapPeer reference = new LocalCachedMapPeer(args[0]);
      say("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
        String[] cmd = line.split(" ");
        if (cmd[0].equals("WARM")) {
          while (!FanOutLatency.inMemory(cache, cmd[1])) {
            cache.asJCache().get(cmd[1]);
          }
          say("WARM " + cmd[1]);
        } else if (cmd[0].equals("LCMWARM")) {
          reference.warm(cmd[1]);
          say("LCMWARM " + cmd[1]);
        } else if (cmd[0].equals("LCMWATCH")) {
          reference.watch(cmd[1], Long.getLong("fanout.pollNanos", 50_000));
          say("GONE " + cmd[1] + " " + System.nanoTime());
        } else if (cmd[0].equals("RAW")) {
          if (FanOutLatency.BUS.startsWith("nats")) {
            RawNats.receive(System.getProperty("fanout.nats"), Integer.parseInt(cmd[1]), FanOutObserver::say);
          } else {
            RawPubSub.receive(args[0], Integer.parseInt(cmd[1]), FanOutObserver::say);
          }
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
