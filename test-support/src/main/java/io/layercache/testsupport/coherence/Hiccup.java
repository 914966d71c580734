package io.layercache.testsupport.coherence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A moment an instance's threads could not run: a thread that asks to sleep 1 ms woke up
 * {@code nanos} late (a GC pause, or other processes holding the CPU). A stale read that
 * coincides with one says more about the machine than about the bus.
 *
 * @param instance the instance
 * @param at       {@code System.nanoTime} when the late wake-up happened
 * @param nanos    how late
 */
public record Hiccup(int instance, long at, long nanos) {

  /** Wake-ups later than this are recorded. */
  static final long THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** One line of a worker's output. */
  String toLine() {
    return String.format(Locale.ROOT, "HIC %d %d %d", instance, at, nanos);
  }

  /** The hiccup of a line made by {@link #toLine()}. */
  static Hiccup parse(String line) {
    String[] f = line.split(" ");
    return new Hiccup(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }

  /** Sleeps 1 ms at a time while {@code running} and records every wake-up later than the threshold. */
  static final class Meter implements Runnable {
    private final int instance;
    private final List<Hiccup> seen = new ArrayList<>();
    private volatile boolean running = true;

    Meter(int instance) {
      this.instance = instance;
    }

    @Override
    public void run() {
      long period = TimeUnit.MILLISECONDS.toNanos(1);
      while (running) {
        long before = System.nanoTime();
        LockSupport.parkNanos(period);
        long late = System.nanoTime() - before - period;
        if (late > THRESHOLD_NANOS) {
          synchronized (seen) {
            seen.add(new Hiccup(instance, System.nanoTime(), late));
          }
        }
      }
    }

    /** Stops measuring; returns what was seen. */
    List<Hiccup> stop() {
      running = false;
      synchronized (seen) {
        return List.copyOf(seen);
      }
    }
  }
}
