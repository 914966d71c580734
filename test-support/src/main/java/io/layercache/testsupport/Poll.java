package io.layercache.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition of the test servers by asking again at a fixed interval until a deadline,
 * then fails naming what was awaited.
 *
 * <p>The harness cannot use Awaitility: this module is on the JCache TCK's JUnit 4 class path,
 * which must not gain Awaitility's Hamcrest. Asking at an interval rather than in a tight loop
 * matters during a failover: a spinning poll would open thousands of connections a second and
 * take the CPU the sentinels need to elect a leader.
 */
final class Poll {

  private Poll() {}

  /**
   * Returns once {@code condition} is true; throws after {@code timeout}. A condition that throws
   * (a server not answering yet) counts as false; the last such failure is the cause.
   */
  static Duration until(Duration timeout, Duration interval, String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("gave up after " + timeout.toMillis() + " ms waiting for " + what, last);
      }
      LockSupport.parkNanos(Math.min(interval.toNanos(), Math.max(0, deadline - System.nanoTime())));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what);
      }
    }
  }

  /** {@link #until} asking every 20 ms. */
  static Duration until(Duration timeout, String what, BooleanSupplier condition) {
    return until(timeout, Duration.ofMillis(20), what, condition);
  }
}
