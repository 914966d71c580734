package io.layercache.testing;

/**
 * The calls an {@link InMemoryRemoteLayer} counts, one counter each, so tests can assert how often
 * an instance reached the shared layer (e.g. "one failed remote call per operation").
 */
public enum RemoteOperation {
  /** {@code Layer.get}. */
  GET,
  /** {@code Layer.put}. */
  PUT,
  /** {@code Layer.remove(key)}. */
  REMOVE,
  /** {@code Layer.compute}, and {@code Layer.remove(key, expected)} which is one compute. */
  COMPUTE,
  /** {@code Layer.clear}. */
  CLEAR,
  /** {@code Layer.keys}. */
  KEYS,
  /** {@code Layer.estimatedSize}. */
  SIZE,
  /** {@code LoadLeases.tryAcquire}. */
  LEASE_ACQUIRE,
  /** {@code LoadLeases.state}. */
  LEASE_STATE,
  /** {@code Lease.close} and {@code Lease.releaseFoundNothing}. */
  LEASE_RELEASE,
  /** {@code TagTimestamps.raise}. */
  TAG_RAISE,
  /** {@code TagTimestamps.read} (one call for all the tags asked). */
  TAG_READ
}
