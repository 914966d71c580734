package io.layercache.testing;

import io.layercache.layer.LayerFailureException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault switch of one or more {@link ChaosLayer}s, flipped by tests at run time from any
 * thread. One fault is in force at a time:
 *
 * <ul>
 *   <li>{@link #off()}: calls pass through (the initial state).
 *   <li>{@link #alwaysFail()}: every call throws {@link LayerFailureException}, as an unreachable
 *       server makes the Redis layer do.
 *   <li>{@link #failWithProbability}: each call throws with a probability, drawn from a seeded
 *       {@link Random}, so a failing run can be replayed with its seed.
 *   <li>{@link #delay}: each call waits a fixed time, then passes through.
 *   <li>{@link #hang()}: each call blocks until {@link #release()} (or until the fault is
 *       switched), then passes through; {@link #hang(Duration)} gives up after a call timeout with
 *       {@link LayerFailureException}, as a client's command timeout does against a frozen server.
 * </ul>
 *
 * <p>Switching the fault releases every call hung by the previous one, so a test that ends with
 * {@code off()} leaves no thread stuck. {@link #targeting} limits faults to some operations (e.g.
 * only lease calls); by default they hit every operation. Counters tell what the layer saw:
 * {@link #calls()}, {@link #calls(Operation)}, {@link #faults()}, {@link #hung()}.
 */
public final class Chaos {

  /** What a {@link ChaosLayer} call does; faults can be limited to some of them. */
  public enum Operation {
    /** {@code get}. */
    GET,
    /** {@code put}. */
    PUT,
    /** {@code remove}, both forms. */
    REMOVE,
    /** {@code compute}. */
    COMPUTE,
    /** {@code clear}. */
    CLEAR,
    /** {@code keys}. */
    KEYS,
    /** {@code estimatedSize}. */
    SIZE,
    /** {@code LoadLeases.tryAcquire} and {@code LoadLeases.state} (releases never fail). */
    LEASE,
    /** {@code TagTimestamps.raise} and {@code TagTimestamps.read}. */
    TAGS
  }

  private enum Kind { OFF, FAIL, MAYBE_FAIL, DELAY, HANG }

  /** One fault, immutable; replaced as a whole when a test flips the switch. */
  private record Fault(Kind kind, double probability, Random random, Duration duration, CountDownLatch release) {}

  private static final Fault OFF = new Fault(Kind.OFF, 0, null, null, null);

  private volatile Fault fault = OFF;
  private volatile Set<Operation> targets = EnumSet.allOf(Operation.class);
  private final Map<Operation, LongAdder> calls = new EnumMap<>(Operation.class);
  private final LongAdder faults = new LongAdder();
  private final AtomicInteger hung = new AtomicInteger();

  private Chaos() {
    for (Operation operation : Operation.values()) {
      calls.put(operation, new LongAdder());
    }
  }

  /** A switch with no fault in force. */
  public static Chaos create() {
    return new Chaos();
  }

  /** No fault: calls pass through. Releases hung calls. */
  public Chaos off() {
    return set(OFF);
  }

  /** Every targeted call throws {@link LayerFailureException}. */
  public Chaos alwaysFail() {
    return set(new Fault(Kind.FAIL, 1, null, null, null));
  }

  /** Each targeted call throws {@link LayerFailureException} with {@code probability}, drawn from {@code seed}. */
  public Chaos failWithProbability(double probability, long seed) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be within [0, 1], was " + probability);
    }
    return set(new Fault(Kind.MAYBE_FAIL, probability, new Random(seed), null, null));
  }

  /** Each targeted call waits {@code delay}, then passes through. */
  public Chaos delay(Duration delay) {
    requirePositive(delay, "delay");
    return set(new Fault(Kind.DELAY, 0, null, delay, null));
  }

  /** Each targeted call blocks until {@link #release()} or until the fault is switched, then passes through. */
  public Chaos hang() {
    return set(new Fault(Kind.HANG, 0, null, null, new CountDownLatch(1)));
  }

  /**
   * Each targeted call blocks until {@link #release()}, but at most {@code callTimeout}: then it
   * throws {@link LayerFailureException} naming the timeout, as a client's command timeout does.
   */
  public Chaos hang(Duration callTimeout) {
    requirePositive(callTimeout, "callTimeout");
    return set(new Fault(Kind.HANG, 0, null, callTimeout, new CountDownLatch(1)));
  }

  /** Lets every call hung by the current {@link #hang} go on; later calls pass too until the next fault. */
  public Chaos release() {
    CountDownLatch latch = fault.release();
    if (latch != null) {
      latch.countDown();
    }
    return this;
  }

  /** Limits faults to {@code operations} (calls of other operations pass through); every operation by default. */
  public Chaos targeting(Operation first, Operation... more) {
    targets = EnumSet.of(first, more);
    return this;
  }

  /** Faults hit every operation again. */
  public Chaos targetingAll() {
    targets = EnumSet.allOf(Operation.class);
    return this;
  }

  /** Calls the layers behind this switch received, every operation together. */
  public long calls() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Calls of {@code operation} the layers behind this switch received. */
  public long calls(Operation operation) {
    return calls.get(operation).sum();
  }

  /** Faults injected so far: failures thrown, delays and hangs. */
  public long faults() {
    return faults.sum();
  }

  /** Calls blocked by a hang right now (for {@code await().until(() -> chaos.hung() == 1)}). */
  public int hung() {
    return hung.get();
  }

  /**
   * Applies the fault in force to one call of {@code operation} on {@code layer} of
   * {@code cacheName}: returns to let the call go on, or throws.
   */
  void before(Operation operation, String cacheName, String layer) {
    calls.get(operation).increment();
    Fault current = fault;
    if (current.kind() == Kind.OFF || !targets.contains(operation)) {
      return;
    }
    switch (current.kind()) {
      case FAIL -> fail(operation, cacheName, layer, "injected failure");
      case MAYBE_FAIL -> {
        boolean failing;
        synchronized (current.random()) {
          failing = current.random().nextDouble() < current.probability();
        }
        if (failing) {
          fail(operation, cacheName, layer, "injected failure, p=" + current.probability());
        }
      }
      case DELAY -> {
        faults.increment();
        pause(current.duration(), operation, cacheName, layer);
      }
      case HANG -> {
        faults.increment();
        hang(current, operation, cacheName, layer);
      }
      default -> throw new IllegalStateException("unknown fault " + current.kind());
    }
  }

  private Chaos set(Fault next) {
    Fault previous = fault;
    fault = next;
    if (previous.release() != null) {
      previous.release().countDown();
    }
    return this;
  }

  private void fail(Operation operation, String cacheName, String layer, String why) {
    faults.increment();
    throw new LayerFailureException("cache '" + cacheName + "': layer " + layer + " " + operation + " failed (chaos: "
        + why + ")", null);
  }

  private static void pause(Duration duration, Operation operation, String cacheName, String layer) {
    long deadline = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw interrupted(operation, cacheName, layer);
      }
    }
  }

  private void hang(Fault current, Operation operation, String cacheName, String layer) {
    hung.incrementAndGet();
    try {
      if (current.duration() == null) {
        current.release().await();
      } else if (!current.release().await(current.duration().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new LayerFailureException("cache '" + cacheName + "': layer " + layer + " did not answer " + operation
            + " within " + current.duration().toMillis() + " ms (chaos: hung)", null);
      }
    } catch (InterruptedException e) {
      throw interrupted(operation, cacheName, layer);
    } finally {
      hung.decrementAndGet();
    }
  }

  private static LayerFailureException interrupted(Operation operation, String cacheName, String layer) {
    Thread.currentThread().interrupt();
    return new LayerFailureException("cache '" + cacheName + "': interrupted while layer " + layer + " " + operation
        + " was held by chaos", null);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
