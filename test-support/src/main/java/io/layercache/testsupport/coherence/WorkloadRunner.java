package io.layercache.testsupport.coherence;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
  private int failuresLogged;

  WorkloadRunner(int instance, int instances, Workload workload, LayerCache<String, String> cache) {
    this.instance = instance;
    this.instances = instances;
    this.workload = workload;
    this.cache = cache;
    this.versions = new long[workload.keys()];
  }

  /** Runs from {@code startNanos} for the workload's duration; returns the history. */
  List<Op> run(long startNanos) {
    SplittableRandom random = new SplittableRandom(workload.seed() * 1_000_003L + instance);
    long interval = TimeUnit.SECONDS.toNanos(1) / workload.rate();
    long until = startNanos + workload.duration().toNanos();
    long next = startNanos;
    while (next < until) {
      long now = System.nanoTime();
      if (now < next) {
        LockSupport.parkNanos(next - now);
      } else if (now - next > MAX_LAG_NANOS) {
        next = now;
      }
      step(random);
      next += interval;
    }
    return history;
  }

  private void step(SplittableRandom random) {
    int dice = random.nextInt(100);
    int owned = ownedKey(random);
    int writes = workload.write();
    int loads = writes + workload.load();
    int removes = loads + workload.remove();
    int tags = removes + workload.tag();
    if (owned >= 0 && dice < writes) {
      write(owned);
    } else if (owned >= 0 && dice < loads) {
      load(owned);
    } else if (owned >= 0 && dice < removes) {
      remove(owned);
    } else if (dice >= removes && dice < tags) {
      invalidateTag("t" + random.nextInt(workload.tags()));
    } else {
      read(random.nextInt(workload.keys()));
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

  private void read(int i) {
    String[] value = new String[1];
    long start = System.nanoTime();
    boolean failed = attempt(() -> value[0] = cache.asJCache().get(Workload.key(i)));
    history.add(Op.read(instance, Workload.key(i), failed ? Op.ABSENT : versionOf(value[0]), start, System.nanoTime(),
        failed));
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
      if (failuresLogged++ < LOGGED_FAILURES) {
        System.err.println("instance " + instance + ": " + e);
      }
      return true;
    }
  }
}
