package io.layercache.coordinator;

import io.layercache.layer.LayerFailureException;
import io.layercache.layer.StoredEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Concurrent reads of one key from one layer that can fail, shared within this JVM: the first
 * caller reads, the callers that arrive while its read is under way wait for its answer instead of
 * sending their own.
 *
 * <p>Why: when a key is missing from memory, every caller of that key reads the shared layer before
 * it can join the one load in flight. Twenty callers at one instant meant twenty Redis reads queued
 * on the machine's cores ahead of the load (measured: the loader started 1.8–8.4 ms after the first
 * call). Shared, they cost one round trip, and the load starts after it.
 *
 * <p>What a joiner gets is what the first caller's read returned, an entry or nothing, or the same
 * failure of the layer (each caller then degrades or fails by its own operation's rules); a
 * failure that was the first caller's own (its thread interrupted while it waited) makes the
 * joiner read for itself. A joiner's read began
 * after the shared read was sent, so it may miss a change another instance made in between: the
 * window is one round trip, as for a caller that joins a load in flight. Only the first caller
 * copies a found entry into the layers above (its fence ticket predates the read).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class SharedReads<K, V> {

  /** One layer's reads under way, by key: flights as loads have them. */
  private final InFlightLoads<K, @Nullable StoredEntry<V>> underWay = new InFlightLoads<>();

  /** What a read answered, and whether this caller joined another's read. */
  record Answer<V>(@Nullable StoredEntry<V> entry, boolean joined) {}

  /** Reads {@code key} with {@code read}, or waits for the read of it another caller is making. */
  Answer<V> read(K key, Supplier<@Nullable StoredEntry<V>> read) {
    InFlightLoads.Claim<@Nullable StoredEntry<V>> claim = underWay.claim(key, NOTHING);
    CompletableFuture<@Nullable StoredEntry<V>> flight = claim.flight().future();
    if (!claim.owned()) {
      try {
        return new Answer<>(join(flight), true);
      } catch (LayerFailureException layerFailed) {
        throw layerFailed; // the layer failed: every caller's mode decides what follows
      } catch (RuntimeException callersOwn) {
        // not the layer's failure but the first caller's (interrupted, say): read on our own
        return new Answer<>(read.get(), false);
      }
    }
    try {
      StoredEntry<V> entry = read.get();
      flight.complete(entry);
      return new Answer<>(entry, false);
    } catch (RuntimeException | Error e) {
      flight.completeExceptionally(e); // the flight is forgotten as it completes
      throw e;
    }
  }

  private static final Runnable NOTHING = () -> {};

  private static <V> @Nullable StoredEntry<V> join(CompletableFuture<@Nullable StoredEntry<V>> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
