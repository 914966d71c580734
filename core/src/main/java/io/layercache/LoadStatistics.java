package io.layercache;

/**
 * Counters of a cache's loading features since it was created or its statistics were
 * {@linkplain LayerCache#resetLayerStatistics() reset}; always collected.
 *
 * @param failSafeServed         stale values served because the loader failed or timed out
 * @param softTimeouts           callers that stopped waiting for a load at the soft timeout
 * @param hardTimeouts           callers that stopped waiting for a load at the hard timeout
 * @param refreshesStarted       background refreshes started (stale-while-revalidate, refresh-ahead)
 * @param refreshFailures        background refreshes that failed (readers never saw them)
 * @param refreshesSkipped       refreshes skipped because another instance was refreshing the key
 * @param notFoundStored         loader "not found" answers remembered (negative caching)
 * @param notFoundHits           reads answered by a remembered "not found"
 * @param leasesTaken            cross-instance load leases taken (distributed single-flight)
 * @param leaseWaits             callers that waited for another instance's load
 * @param servedByOtherInstance  callers given the value another instance loaded
 * @param leaseWaitTimeouts      waits for another instance that ran out
 * @param coordinationDegraded   loads run without coordination because the shared layer failed
 * @param loads                  readers' loader calls that returned (a batch load counts once)
 * @param loadFailures           readers' loader calls that threw
 * @param loadTimeNanos          time spent in readers' loader calls, successful or not
 * @param inFlightJoins          callers that joined a load of the same key in flight in this JVM
 * @param staleWhileRevalidateServed stale values served while being revalidated in the background
 */
public record LoadStatistics(long failSafeServed, long softTimeouts, long hardTimeouts, long refreshesStarted,
    long refreshFailures, long refreshesSkipped, long notFoundStored, long notFoundHits, long leasesTaken,
    long leaseWaits, long servedByOtherInstance, long leaseWaitTimeouts, long coordinationDegraded, long loads,
    long loadFailures, long loadTimeNanos, long inFlightJoins, long staleWhileRevalidateServed) {}
