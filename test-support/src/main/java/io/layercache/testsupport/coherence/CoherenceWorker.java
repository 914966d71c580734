package io.layercache.testsupport.coherence;

import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;

/**
 * One instance of a coherence run, in a JVM of its own, driven over stdin/stdout by
 * {@link CoherenceRun}. Its cache comes from a configuration file, as an application's would.
 *
 * <pre>
 *   args: config-uri cache-name instance instances workload
 *   out:  READY heartbeat-millis reconcile-millis   (0 0 without a bus)
 *   in:   CLOCK                 out: CLOCK nanoTime
 *   in:   CLEAR                 (empties the cache everywhere: keys left by an earlier run)   out: CLEARED
 *   in:   RUN start-nanos       (the workload, in the background)   out: DONE operations
 *   in:   QUIET                 (no more changes; reads go on)
 *   in:   FINAL                 (reads every key)   out: OP ... | FIN OP ... | EV ... | HIC ... lines, then END
 *   in:   LOAD key              out: LOADED key value loader-calls-of-this-instance
 *   in:   PEEK key              out: PEEK key layer-holding-it-or-none loader-calls-of-this-instance
 *   in:   EXIT
 * </pre>
 */
public final class CoherenceWorker {

  private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final int instance;
  private final LayerCache<String, String> cache;
  private final WorkloadRunner runner;
  private final List<BusEvent> events = new ArrayList<>();
  private final AtomicInteger loaderCalls = new AtomicInteger();
  private volatile List<Op> history = List.of();
  private volatile boolean watching;
  private Hiccup.Meter hiccups;

  private CoherenceWorker(int instance, int instances, Workload workload, LayerCache<String, String> cache) {
    this.instance = instance;
    this.cache = cache;
    this.runner = new WorkloadRunner(instance, instances, workload, cache);
  }

  public static void main(String[] args) throws Exception {
    CacheManager manager = Caching.getCachingProvider("io.layercache.jcache.LayerCachingProvider")
        .getCacheManager(URI.create(args[0]), CoherenceWorker.class.getClassLoader());
    int instance = Integer.parseInt(args[2]);
    CoherenceWorker worker = new CoherenceWorker(instance, Integer.parseInt(args[3]), Workload.parse(args[4]),
        cache(manager, args[1]));
    BusSettings bus = busSettings(worker.cache);
    say("READY " + (bus == null ? "0 0" : bus.heartbeatInterval().toMillis() + " " + bus.reconcileInterval().toMillis()));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
      worker.command(line.trim().split(" "));
    }
    manager.close();
    System.exit(0);
  }

  @SuppressWarnings("unchecked")
  private static LayerCache<String, String> cache(CacheManager manager, String name) {
    Cache<String, String> cache = manager.getCache(name);
    if (cache == null) {
      cache = manager.createCache(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    }
    return cache.unwrap(LayerCache.class);
  }

  @SuppressWarnings("unchecked")
  private static BusSettings busSettings(LayerCache<String, String> cache) {
    BusConfig bus = cache.asJCache().getConfiguration(LayerCacheConfiguration.class).getBus();
    return bus != null && bus.enabled() ? bus.settings() : null;
  }

  private void command(String[] cmd) {
    switch (cmd[0]) {
      case "CLOCK" -> say("CLOCK " + System.nanoTime());
      case "RUN" -> start(Long.parseLong(cmd[1]));
      case "QUIET" -> runner.quiet();
      case "CLEAR" -> {
        cache.asJCache().clear();
        say("CLEARED");
      }
      case "FINAL" -> report();
      case "LOAD" -> say("LOADED " + cmd[1] + " " + cache.get(cmd[1], key -> {
        loaderCalls.incrementAndGet();
        return "loaded-by-" + instance;
      }) + " " + loaderCalls.get());
      case "PEEK" -> say("PEEK " + cmd[1] + " " + cache.entryInfo(cmd[1]).map(info -> info.layer()).orElse("none")
          + " " + loaderCalls.get());
      default -> say("UNKNOWN " + String.join(" ", cmd));
    }
  }

  private void start(long startNanos) {
    watching = true;
    hiccups = new Hiccup.Meter(instance);
    Thread meter = new Thread(hiccups, "coherence-hiccups");
    meter.setDaemon(true);
    meter.start();
    Thread watch = new Thread(this::watchBus, "coherence-bus-watch");
    watch.setDaemon(true);
    watch.start();
    Thread work = new Thread(() -> {
      history = runner.run(startNanos);
      say("DONE " + history.size());
    }, "coherence-workload");
    work.start();
  }

  /** Samples the bus statistics while the workload runs (and until the final reads) and records every change. */
  private void watchBus() {
    BusEvent last = null;
    while (watching) {
      long now = System.nanoTime();
      BusEvent event = cache.busStatistics().map(statistics -> BusEvent.of(instance, now, statistics)).orElse(null);
      if (event == null) {
        return;
      }
      synchronized (events) {
        if (!event.sameState(last)) {
          events.add(event);
          last = event;
        }
      }
      LockSupport.parkNanos(WATCH_NANOS);
    }
  }

  private void report() {
    List<Op> finals = runner.finalReads();
    watching = false;
    List<Hiccup> late = hiccups == null ? List.of() : hiccups.stop();
    StringBuilder out = new StringBuilder(history.size() * 64);
    history.forEach(op -> out.append(op.toLine()).append('\n'));
    finals.forEach(op -> out.append("FIN ").append(op.toLine()).append('\n'));
    synchronized (events) {
      events.forEach(event -> out.append(event.toLine()).append('\n'));
    }
    late.forEach(hiccup -> out.append(hiccup.toLine()).append('\n'));
    out.append("END");
    say(out.toString());
  }

  private static synchronized void say(String text) {
    System.out.println(text);
    System.out.flush();
  }
}
