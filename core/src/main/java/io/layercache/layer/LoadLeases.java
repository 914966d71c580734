package io.layercache.layer;

import org.jspecify.annotations.Nullable;
import java.time.Duration;

/**
 * Cross-instance load leases: the optional capability of a shared layer that lets instances
 * agree on which one runs the loader for a key (distributed single-flight).
 *
 * <p>A lease is for efficiency only. It can be lost (its holder paused past the lease, the server
 * failed over) or, briefly, held twice; correctness comes from the fencing token: every lease of
 * a key gets a token greater than all earlier ones, the value loaded under it is written with
 * that token ({@link StoredEntry#fence()}), and the layer refuses such a write with
 * {@link FencedWriteException} once a newer lease was granted for the key.
 *
 * <p>Calls fail with {@link LayerFailureException} when the layer cannot be reached.
 *
 * @param <K> the key type
 */
public interface LoadLeases<K> {

  /** What the lease of a key says now. */
  enum State {
    /** Nobody holds it. */
    FREE,
    /** An instance holds it: a load is running. */
    HELD,
    /** The last load found nothing (and nothing was cached): waiters should return null. */
    FOUND_NOTHING
  }

  /**
   * Takes the lease of {@code key} unless another holder has it. The implementation renews the
   * lease while it is held.
   *
   * @param leaseTime how long the lease lasts without renewal (so a dead holder frees it)
   * @return the lease, or null when another holder has it
   */
  @Nullable Lease tryAcquire(K key, Duration leaseTime);

  /** The state of the lease of {@code key}. */
  State state(K key);

  /**
   * Calls {@code onRelease} (on a thread of the layer's, briefly) when a lease of {@code key} is
   * released from now on, until the returned watch is closed, so callers waiting for another
   * instance's load can stop waiting at once rather than at their next {@link #state} poll. Best
   * effort: a release may go unheard (waiters keep polling), and a call may come without one. The
   * default hears nothing.
   */
  default Watch watchRelease(K key, ReleaseListener onRelease) {
    return Watch.NONE;
  }

  /** Hears the release of a watched lease. */
  @FunctionalInterface
  interface ReleaseListener {

    /**
     * A lease of the watched key was released.
     *
     * @param stored the entry the ended load stored (of the layer's value type), when the layer's
     *               notice carried it and the layer trusts it as much as a read of the key; else
     *               null, and the waiter reads the layer
     */
    void released(@Nullable StoredEntry<?> stored);
  }

  /** A registration of {@link #watchRelease}; closing it ends it. */
  @FunctionalInterface
  interface Watch extends AutoCloseable {

    /** A watch that hears nothing. */
    Watch NONE = () -> { };

    @Override
    void close();

    /**
     * True while releases are being heard (the layer's subscription is active), so a waiter may
     * poll the lease less often; false by default.
     */
    default boolean isLive() {
      return false;
    }
  }

  /**
   * What {@link Layer#readOrLease} found: the entry stored for the key, or else the lease the
   * caller now holds, or else that another holder has the lease; none of these when an entry was
   * stored but unreadable, or the lease call failed (the caller then takes the ordinary path:
   * {@link #tryAcquire}, and waiting).
   *
   * @param entry         the stored entry, or null
   * @param lease         the lease taken because no entry was stored, or null
   * @param heldElsewhere true when nothing was stored and another holder has the lease: its load runs
   */
  record Read<V>(@Nullable StoredEntry<V> entry, @Nullable Lease lease, boolean heldElsewhere) {}

  /** A held lease. Closing releases it, only if it is still this holder's. */
  interface Lease extends AutoCloseable {

    /** The fencing token: greater than the token of every earlier lease of the same key. */
    long fence();

    /** False once the lease was found lost (a renewal found another holder or none). */
    boolean isValid();

    /**
     * True when the layer held no entry for the key at the instant this lease was taken, so the
     * holder can load at once instead of reading the layer again (the read would find what was
     * stored in the few hundred microseconds since, and a load's store keeps such an entry
     * anyway). False when an entry was there, or when the implementation cannot tell.
     */
    default boolean entryAbsentWhenTaken() {
      return false;
    }

    /**
     * Releases the lease leaving a short-lived {@link State#FOUND_NOTHING} mark, so the instances
     * waiting for this load return null instead of loading in turn; never throws.
     */
    void releaseFoundNothing();

    /** Releases the lease if it is still held by this holder; never throws. */
    @Override
    void close();
  }
}
