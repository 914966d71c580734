package io.layercache.coordinator;

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

  /** Records that a layer that can fail failed (or timed out) during this operation. */
  void markRemoteFailed() {
    if (tracking) {
      remoteFailed = true;
    }
  }
}
