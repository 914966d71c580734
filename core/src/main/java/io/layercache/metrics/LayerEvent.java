package io.layercache.metrics;

/** What a cache counts for one of its layers. */
public enum LayerEvent {
  /** The layer answered a read with a live entry. */
  HIT,
  /** The layer could not answer a read. */
  MISS,
  /** An entry was written to the layer (including backfills). */
  WRITE,
  /** An entry was removed from the layer by an operation. */
  REMOVAL,
  /** The layer dropped an entry by itself (size bound or expiry). */
  EVICTION,
  /** A read skipped the layer because a call to it had just failed (graceful mode): not a miss. */
  SKIP,
  /** A read stopped waiting for the layer at the remote soft timeout. */
  SOFT_TIMEOUT,
  /** A call to the layer failed (unreachable, timed out). */
  FAILURE,
  /** A call was refused at once because the layer's circuit breaker is open. */
  REJECTED
}
