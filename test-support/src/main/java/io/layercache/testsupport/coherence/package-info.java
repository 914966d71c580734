/**
 * The coherence checker: do the memory layers of several instances of one cache stay in line with
 * each other and with Redis?
 *
 * <p>{@link io.layercache.testsupport.coherence.CoherenceRun} starts N instances (JVMs) of one
 * cache configuration, runs a mixed {@link io.layercache.testsupport.coherence.Workload} on all
 * of them at once (writes with increasing versions per key, each key written by one instance
 * only; writes through the loader; removals; tag invalidations; reads) and records every
 * operation's start and end. {@link io.layercache.testsupport.coherence.HistoryAnalyzer} then
 * reports stale reads (a value already replaced when the read began), how stale, how many beyond
 * a declared bound, and keys that an instance still read wrong once the workload stopped and the
 * settle time passed. {@link io.layercache.testsupport.coherence.CoherenceCheck} runs it from the
 * command line against your own configuration file and Redis.
 *
 * <p><b>Clocks.</b> Operations are timed with {@code System.nanoTime}. On Linux that is
 * {@code CLOCK_MONOTONIC}, one clock for every process of a host, so the instances' histories
 * merge as they are ({@code CoherenceRun} verifies it). Across hosts there is no such clock: the
 * instances would have to record wall-clock time from clocks synchronised to a known error ε (PTP,
 * or NTP/chrony with its reported offset), and every staleness figure would be uncertain by 2ε,
 * so the bound would have to be raised by 2ε and stale reads under 2ε could not be told from
 * fresh ones. This package only runs instances on one host.
 */
package io.layercache.testsupport.coherence;
