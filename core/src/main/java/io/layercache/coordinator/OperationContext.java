package io.layercache.coordinator;

import io.layercache.layer.LoadLeases;
import org.jspecify.annotations.Nullable;

/**
 * What one cache operation learns about the layers while it runs, handed explicitly from step to
 * step (the read, the load after a miss, the store of the loaded value) instead of through
 * thread-locals.
 *
 * <ul>
 *   <li>In graceful mode, once a call to a layer that can fail failed (or hit the remote soft
 *       timeout), the rest of the operation skips such layers: one operation waits for one failed
 *       remote call at most.
 *   <li>A context belongs to one operation on one thread; it is never shared or reused, so a
 *       failure never leaks into later operations. A loader that reads other keys runs its own
 *       operations with their own contexts.
 * </ul>
 */
public final class OperationContext {

  /**
   * The context of an operation on a stack of in-process layers only: nothing can fail remotely,
   * so nothing is recorded (shared, so the hot path allocates nothing).
   */
  static final OperationContext IN_PROCESS = new OperationContext(false);

  private final boolean tracking;
  private boolean remoteFailed;
  private java.time.@Nullable Duration leaseTime;
  private java.util.function.@Nullable Function<LoadLeases.Lease, Runnable> offerLease;
  private @Nullable Runnable withdraw;
  private boolean leaseHeldElsewhere;

  private OperationContext(boolean tracking) {
    this.tracking = tracking;
  }

  /** A new context for one operation. */
  public static OperationContext create() {
    return new OperationContext(true);
  }

  /** True once a layer that can fail failed during this operation. */
  public boolean remoteFailed() {
    return remoteFailed;
  }

  /**
   * Asks the read of the layer that offers load leases to take the key's lease (for
   * {@code leaseTime}) when it finds nothing: a read that will load anyway, with distributed
   * single-flight (one round trip for both, {@link io.layercache.layer.Layer#readOrLease}). A
   * lease taken is handed to {@code offer} at once, before the read's answer reaches the callers
   * sharing it, so whichever of them leads the load finds it; {@code offer} returns how to take
   * the lease back when the operation ends ({@link #withdrawLease}).
   */
  void leaseWithSharedRead(java.time.Duration leaseTime, java.util.function.Function<LoadLeases.Lease, Runnable> offer) {
    if (tracking) {
      this.leaseTime = leaseTime;
      this.offerLease = offer;
    }
  }

  /** Ends {@link #leaseWithSharedRead}: the later reads of the operation (the load's checks) are plain. */
  void endLeasing() {
    this.leaseTime = null;
    this.offerLease = null;
  }

  /** The lease time {@link #leaseWithSharedRead} asked for, or null for a plain read. */
  java.time.@Nullable Duration leaseWithSharedRead() {
    return leaseTime;
  }

  /** Hands the lease the shared read took to the offer of {@link #leaseWithSharedRead}. */
  void leaseTaken(LoadLeases.Lease taken) {
    var offer = offerLease;
    if (offer == null) {
      taken.close(); // nobody asked for it
      return;
    }
    withdraw = offer.apply(taken);
  }

  /** Records that this operation's shared read found the lease held by another instance: its load runs. */
  void leaseHeldElsewhere() {
    if (tracking) {
      leaseHeldElsewhere = true;
    }
  }

  /**
   * True when this operation's shared read found the lease held elsewhere, so its load can wait
   * at once instead of asking for the lease again.
   */
  boolean leaseSeenHeld() {
    return leaseHeldElsewhere;
  }

  /** Takes back the lease this operation's read offered: released unless a load claimed it. */
  void withdrawLease() {
    Runnable pending = withdraw;
    withdraw = null;
    if (pending != null) {
      pending.run();
    }
  }

  /** Records that a layer that can fail failed (or timed out) during this operation. */
  void markRemoteFailed() {
    if (tracking) {
      remoteFailed = true;
    }
  }
}
