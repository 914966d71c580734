package io.layercache.testsupport.coherence;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one instance's share of a {@link Workload} against its cache and records every operation
 * with {@code System.nanoTime} before the call and after it returned or threw.
 */
final class WorkloadRunner {

  /** A schedule this far behind (a stalled Redis) starts again from now instead of catching up in a burst. */
  private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int LOGGED_FAILURES = 5;

  private final int instance;
  private final int instances;
  private final Workload workload;
  private final LayerCache<String, String> cache;
  private final long[] versions;
  private final List<Op> history = new ArrayList<>();
  private final AtomicInteger failuresLogged = new AtomicInteger();
  private volatile boolean quiet;

  WorkloadRunner(int instance, int instances, Workload workload, LayerCache<String, String> cache) {
    this.instance = instance;
    this.instances = instances;
    this.workload = workload;
    this.cache = cache;
    this.versions = new long[workload.keys()];
  }

  /**
   * Runs from {@code startNanos} for the workload's duration and returns the history. Changes and
   * reads run on two threads, each paced at its share of the rate, so that reads go on (from
   * memory) while a change waits for an unreachable Redis, as an application's requests would.
   */
  List<Op> run(long startNanos) {
    int changes = workload.write() + workload.load() + workload.remove() + workload.tag();
    List<Op> reads = new ArrayList<>();
    SplittableRandom readRandom = new SplittableRandom(workload.seed() * 1_000_003L + instance * 2L + 1);
    Thread reader = new Thread(() -> paced(startNanos, 100 - changes, () -> read(readRandom, reads)),
        "coherence-reads");
    reader.start();
    SplittableRandom random = new SplittableRandom(workload.seed() * 1_000_003L + instance * 2L);
    paced(startNanos, changes, () -> {
      if (!quiet) {
        change(random, changes);
      }
    });
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    history.addAll(reads);
    return history;
  }

  /**
   * Stops the changes; reads go on until the workload's end. After a fault, this leaves whatever
   * the fault left behind (e.g. a write that timed out yet was applied) for the final reads to find.
   */
  void quiet() {
    quiet = true;
  }

  /** Runs {@code step} {@code percent} % of the rate until the workload's end. */
  private void paced(long startNanos, int percent, Runnable step) {
    if (percent <= 0) {
      return;
    }
    long interval = TimeUnit.SECONDS.toNanos(1) * 100 / ((long) workload.rate() * percent);
    long until = startNanos + workload.duration().toNanos();
    long next = startNanos;
    while (next < until) {
      long now = System.nanoTime();
      if (now < next) {
        LockSupport.parkNanos(next - now);
      } else if (now - next > MAX_LAG_NANOS) {
        next = now;
      }
      step.run();
      next += interval;
    }
  }

  /** One change of a key this instance owns (or of a tag), picked by the workload's percentages. */
  private void change(SplittableRandom random, int changes) {
    int dice = random.nextInt(changes);
    int owned = ownedKey(random);
    if (dice >= workload.write() + workload.load() + workload.remove()) {
      invalidateTag("t" + random.nextInt(workload.tags()));
    } else if (owned < 0) {
      return; // more instances than keys: this one owns none
    } else if (dice < workload.write()) {
      write(owned);
    } else if (dice < workload.write() + workload.load()) {
      load(owned);
    } else {
      remove(owned);
    }
  }

  /** A random key this instance owns, or -1 when it owns none. */
  private int ownedKey(SplittableRandom random) {
    int owned = (workload.keys() - instance + instances - 1) / instances;
    return owned <= 0 ? -1 : instance + instances * random.nextInt(owned);
  }

  private void write(int i) {
    long version = ++versions[i];
    long start = System.nanoTime();
    boolean failed = attempt(() -> cache.set(Workload.key(i), "v" + version,
        EntryOptions.defaults().withTags(workload.tagOf(i))));
    history.add(Op.write(instance, Workload.key(i), workload.tagOf(i), version, start, System.nanoTime(), failed));
  }

  /** A removal, then the next version through the loader (which the bus sends as priming or invalidation). */
  private void load(int i) {
    remove(i);
    long version = ++versions[i];
    String[] returned = new String[1];
    long start = System.nanoTime();
    boolean failed = attempt(() -> returned[0] = cache.get(Workload.key(i), key -> "v" + version,
        EntryOptions.defaults().withTags(workload.tagOf(i))));
    if (!failed && !("v" + version).equals(returned[0])) {
      System.err.println("load of " + Workload.key(i) + " returned " + returned[0] + " instead of calling the loader");
      failed = true; // version was not written as intended: count it as possibly applied
    }
    history.add(Op.write(instance, Workload.key(i), workload.tagOf(i), version, start, System.nanoTime(), failed));
  }

  private void remove(int i) {
    long version = ++versions[i];
    long start = System.nanoTime();
    boolean failed = attempt(() -> cache.asJCache().remove(Workload.key(i)));
    history.add(Op.remove(instance, Workload.key(i), version, start, System.nanoTime(), failed));
  }

  private void invalidateTag(String tag) {
    long start = System.nanoTime();
    boolean failed = attempt(() -> cache.invalidateByTag(tag));
    history.add(Op.tag(instance, tag, start, System.nanoTime(), failed));
  }

  private void read(SplittableRandom random, List<Op> reads) {
    String key = Workload.key(random.nextInt(workload.keys()));
    String[] value = new String[1];
    long start = System.nanoTime();
    boolean failed = attempt(() -> value[0] = cache.asJCache().get(key));
    reads.add(Op.read(instance, key, failed ? Op.ABSENT : versionOf(value[0]), start, System.nanoTime(), failed));
  }

  /** Reads every key once: the final reads, after the settle time. */
  List<Op> finalReads() {
    List<Op> reads = new ArrayList<>();
    for (int i = 0; i < workload.keys(); i++) {
      String[] value = new String[1];
      int key = i;
      long start = System.nanoTime();
      boolean failed = attempt(() -> value[0] = cache.asJCache().get(Workload.key(key)));
      reads.add(Op.read(instance, Workload.key(i), failed ? Op.ABSENT : versionOf(value[0]), start, System.nanoTime(),
          failed));
    }
    return reads;
  }

  static long versionOf(String value) {
    return value == null ? Op.ABSENT : Long.parseLong(value.substring(1));
  }

  /** Runs a call; true when it threw (the first few failures are logged). */
  private boolean attempt(Runnable call) {
    try {
      call.run();
      return false;
    } catch (RuntimeException e) {
      if (failuresLogged.getAndIncrement() < LOGGED_FAILURES) {
        System.err.println("instance " + instance + ": " + e);
      }
      return true;
    }
  }
}
