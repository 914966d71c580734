package io.layercache.coordinator;

import io.layercache.layer.StoredEntry;

/**
 * The read policies a {@link LayerStack} is built with (by {@link CoreFactory}): which expired
 * copies stay usable, and how long a read waits for a slow remote layer.
 */
public final class StackPolicies {

  private StackPolicies() {}

  /** Decides whether an expired entry may still serve as a stale fallback (fail-safe). */
  @FunctionalInterface
  public interface StaleFallback {
    /** True when {@code expired} may be served stale at {@code nowMillis}. */
    boolean allows(StoredEntry<?> expired, long nowMillis);
  }

  /**
   * Stale-while-revalidate reads of upper layers: which expired copies to keep for later stale
   * readers, and when to serve them without asking the authoritative layer.
   */
  public interface StaleReads<K> {
    /** True when an expired upper copy should stay, for readers that may serve it stale. */
    boolean keep(StoredEntry<?> expired, long nowMillis);

    /** True when a kept copy of {@code key} may be served without reading the layers below (a refresh is running). */
    boolean serveLocally(Object key);
  }

  /**
   * The remote soft timeout: a read holding a stale fallback from an upper layer waits at most
   * {@code timeout} for a remote layer, read on {@code reads}; then it returns that fallback and
   * lets the remote read finish in the background.
   */
  public record RemoteSoftTimeout(java.time.Duration timeout, java.util.concurrent.Executor reads) {}
}
