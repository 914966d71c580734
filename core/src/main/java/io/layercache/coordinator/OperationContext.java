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
  private LoadLeases.@Nullable Lease lease;

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
   * single-flight (one round trip for both, {@link io.layercache.layer.Layer#readOrLease}); null
   * ends it, so the later reads of the same operation (the load's checks) are plain reads.
   */
  void leaseWithSharedRead(java.time.@Nullable Duration leaseTime) {
    if (tracking) {
      this.leaseTime = leaseTime;
    }
  }

  /** The lease time {@link #leaseWithSharedRead} asked for, or null for a plain read. */
  java.time.@Nullable Duration leaseWithSharedRead() {
    return leaseTime;
  }

  /** Records the lease the shared read took. */
  void leaseTaken(LoadLeases.Lease taken) {
    this.lease = taken;
  }

  /** The lease the shared read took, or null. */
  LoadLeases.@Nullable Lease takenLease() {
    return lease;
  }

  /** Records that a layer that can fail failed (or timed out) during this operation. */
  void markRemoteFailed() {
    if (tracking) {
      remoteFailed = true;
    }
  }
}
