package io.layercache.coordinator;

import io.layercache.EntryOptions;
import io.layercache.layer.StoredEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys one batch read claimed ({@link LoadPath#loadAll}), loaded together: each key first
 * takes its lease (or is settled at once: stored meanwhile here, found in the shared layer, or
 * loading on another instance, which the one-key path waits for), then one batch loader call
 * covers the keys this read holds leases for, and each value is stored like a single load's
 * (fenced, "not found" remembered, fail-safe per key).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class BatchLoad<K, V> {
  private final LoadPath<K, V> path;
  private final List<K> owned;
  private final Map<K, InFlightLoads.Flight<V>> flights;
  private final Map<K, StoredEntry<V>> stale;
  private final BatchLoader<K, V> batch;
  private final EntryOptions options;
  private final OperationContext operation;
  private final Map<K, LoadLease> leases = new LinkedHashMap<>();

  BatchLoad(LoadPath<K, V> path, List<K> owned, Map<K, InFlightLoads.Flight<V>> flights,
      Map<K, StoredEntry<V>> stale, BatchLoader<K, V> batch, EntryOptions options) {
    this.path = path;
    this.owned = owned;
    this.flights = flights;
    this.stale = stale;
    this.batch = batch;
    this.options = options;
    this.operation = path.stack.newOperation();
  }

  void run() {
    try {
      for (K key : owned) {
        try {
          claimOrSettle(key);
        } catch (RuntimeException | Error e) {
          flights.get(key).future().completeExceptionally(e);
        }
      }
      if (leases.isEmpty()) {
        return;
      }
      Map<K, V> loaded;
      long started = System.nanoTime();
      try {
        Map<K, V> answer = batch.loadAll(new ArrayList<>(leases.keySet()));
        path.loaderCalled(true, started);
        loaded = answer == null ? Map.of() : answer;
      } catch (Exception | Error e) {
        path.loaderCalled(false, started);
        leases.forEach((key, lease) -> failed(key, e));
        return;
      }
      leases.forEach((key, lease) -> store(key, lease, loaded.get(key)));
    } finally {
      leases.values().forEach(lease -> lease.finish(false)); // no-op for those store() finished
    }
  }

  /** Takes the key's lease for the batch, or settles it at once (stored meanwhile, or loading elsewhere). */
  private void claimOrSettle(K key) {
    InFlightLoads.Flight<V> flight = flights.get(key);
    LayerStack.Located<K, V> appeared = path.stack.peekLocal(key);
    if (appeared != null) {
      flight.future().complete(appeared.entry().isNotFound() ? null : appeared.entry().value());
      return;
    }
    LoadLease lease = path.stack.isSkippingRemote(operation)
        ? LoadLease.NONE : path.distributed.tryLease(key);
    if (lease == null) {
      // another instance loads this key: the one-key path waits for it
      flight.future().complete(path.flight(key, k -> batch.loadAll(List.of(k)).get(k), options, stale.get(key), operation));
      return;
    }
    if (lease != LoadLease.NONE) {
      DistributedSingleFlight.Found<V> shared = path.sharedValue(key, operation);
      if (shared != null) {
        lease.finish(false);
        flight.future().complete(shared.value());
        return;
      }
    }
    leases.put(key, lease);
  }

  private void store(K key, LoadLease lease, V value) {
    InFlightLoads.Flight<V> flight = flights.get(key);
    try {
      if (value != null) {
        path.types.requireValue(value);
        path.store(key, value, options, stale.get(key), lease, operation);
      } else if (path.notFoundTtlMillis > 0) {
        path.storeNotFound(key, stale.get(key), lease.fence(), operation);
      }
      flight.future().complete(value);
      lease.finish(value == null);
    } catch (RuntimeException | Error e) {
      flight.future().completeExceptionally(e);
    }
  }

  private void failed(K key, Throwable error) {
    InFlightLoads.Flight<V> flight = flights.get(key);
    StoredEntry<V> fallback = stale.get(key);
    try {
      if (fallback != null && error instanceof Exception failure) {
        flight.future().complete(path.serveStale(key, fallback, failure, operation));
      } else {
        flight.future().completeExceptionally(path.wrap(key, error));
      }
    } catch (RuntimeException | Error e) {
      flight.future().completeExceptionally(e);
    }
  }
}
