package io.layercache.coordinator;

import io.layercache.layer.LoadLeases;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease a load runs under; {@link #NONE} for a load without one (fence 0). A load that
 * outlives its callers (a loader timeout) still runs inside its flight, so it keeps the lease,
 * renewed, until it really ends: no other instance starts a second load meanwhile, and its
 * late value is not fenced out.
 */
public final class LoadLease {

  /** No lease: an unfenced load. */
  public static final LoadLease NONE = new LoadLease(null);

  private final LoadLeases.Lease lease;
  private final AtomicBoolean finished = new AtomicBoolean();

  LoadLease(LoadLeases.Lease lease) {
    this.lease = lease;
  }

  /** The fencing token to store the loaded value with; 0 without a lease. */
  public long fence() {
    return lease == null ? 0L : lease.fence();
  }

  /** True when the shared layer held no entry for the key when the lease was taken: no need to read it again. */
  boolean entryAbsentWhenTaken() {
    return lease != null && lease.entryAbsentWhenTaken();
  }

  /** Releases the lease when its load is over; later calls do nothing. */
  void finish(boolean foundNothing) {
    if (lease == null || !finished.compareAndSet(false, true)) {
      return; // no lease, or already finished: only the first finish releases it
    }
    if (foundNothing) {
      lease.releaseFoundNothing();
    } else {
      lease.close();
    }
  }
}
