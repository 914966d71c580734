package io.layercache.coordinator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys this instance changed while graceful mode skipped the shared layer, and their repair once
 * the shared layer answers again.
 *
 * <p>During an outage a write lands in this instance's in-process layers only: the shared layer
 * (and every other instance reading it) keeps the value from before. When the shared layer is
 * back, every such key's shared copy is deleted (not overwritten: the application's store of
 * record is the truth, and another instance may have written the key meanwhile too), and a
 * {@link Change.Type#SHARED_COPY_DROPPED} change tells the invalidation bus to drop the other
 * instances' copies. The next read anywhere loads the current value. A {@code clear()} skipped
 * during the outage clears the shared layer and every instance's memory layers.
 *
 * <ul>
 *   <li>At most {@value #MAX_KEYS} keys are remembered; beyond that the repair clears the whole
 *       shared cache instead.
 *   <li>The repair is tried every second while keys are pending, on the background executor,
 *       and once more when the cache closes; keys still pending then are logged at WARN.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class OutageWrites<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(OutageWrites.class);
  static final int MAX_KEYS = 100_000;
  private static final long RETRY_MILLIS = 1_000;

  private final String cacheName;
  private final LayerStack<K, V> stack;
  private final ChangeFeed<K, V> feed;
  private final Executor retries;
  private final Set<K> keys = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean clearPending;
  private volatile boolean closed;

  OutageWrites(String cacheName, LayerStack<K, V> stack, ChangeFeed<K, V> feed, Executor background) {
    this.cacheName = cacheName;
    this.stack = stack;
    this.feed = feed;
    this.retries = CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS, background);
  }

  /** Remembers that {@code key} was changed without the shared layer. */
  void record(K key) {
    if (keys.size() < MAX_KEYS) {
      keys.add(key);
    } else {
      clearPending = true;
    }
    schedule();
  }

  /** Remembers that a clear did not reach the shared layer. */
  void recordClear() {
    clearPending = true;
    schedule();
  }

  /** Keys waiting for repair (for diagnostics and tests). */
  int pending() {
    return keys.size() + (clearPending ? 1 : 0);
  }

  /**
   * Stops repairing, after one last attempt when keys are pending: a cache closed right after an
   * outage (an instance shutting down) would otherwise leave the shared layer and the other
   * instances serving the values it overwrote. The attempt costs at most one bounded call to the
   * shared layer (nothing while its breaker is open); what it cannot repair is logged.
   */
  void close() {
    if (!closed && pending() > 0) {
      attempt();
    }
    closed = true;
    int left = pending();
    if (left > 0) {
      LOG.warn("cache={} closed with {} writes made during a shared-layer outage not repaired: the shared layer and"
          + " other instances may serve the values they replaced until those expire", cacheName, left);
    }
  }

  private void schedule() {
    if (!closed && scheduled.compareAndSet(false, true)) {
      retries.execute(this::repair);
    }
  }

  /** Drops the shared copies of the pending keys; reschedules itself while the shared layer is down. */
  private void repair() {
    scheduled.set(false);
    if (closed) {
      return;
    }
    attempt();
    if (pending() > 0) {
      schedule();
    }
  }

  /** One repair of what is pending; the shared layer still down leaves it pending. */
  private void attempt() {
    try {
      if (clearPending) {
        repairClear();
      }
      repairKeys();
    } catch (io.layercache.layer.LayerFailureException e) {
      LOG.debug("cache={} shared layer still unavailable; {} outage writes wait for repair", cacheName, pending());
    } catch (RuntimeException e) {
      LOG.warn("cache={} repairing writes made during an outage failed; retrying", cacheName, e);
    }
  }

  private void repairClear() {
    keys.clear();
    clearPending = false;
    try {
      stack.authoritative().clear();
    } catch (RuntimeException e) {
      clearPending = true;
      throw e;
    }
    LOG.info("cache={} the shared layer is back: cleared it, as a clear() made during the outage asked", cacheName);
    feed.publish(Change.cleared());
  }

  private void repairKeys() {
    List<Change<K, V>> dropped = new ArrayList<>();
    try {
      for (Iterator<K> it = keys.iterator(); it.hasNext(); ) {
        K key = it.next();
        stack.authoritative().remove(key);
        it.remove();
        dropped.add(Change.sharedCopyDropped(key));
      }
    } finally {
      if (!dropped.isEmpty()) {
        LOG.info("cache={} the shared layer is back: dropped {} entries changed here during the outage", cacheName,
            dropped.size());
        feed.publish(dropped);
      }
    }
  }
}
