package io.layercache.testing;

import io.layercache.layer.Layer;
import io.layercache.layer.LayerTraits;
import io.layercache.layer.LoadLeases;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.TagTimestamps;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A layer that runs every call of the layer it wraps through a {@link Chaos} switch first: the
 * call fails, waits or hangs as the switch says, then reaches the wrapped layer. Name, traits,
 * diagnostics and leases are the wrapped layer's, so the coordinator (and its statistics) see the
 * wrapped layer, only faulty. Lease calls ({@code tryAcquire}, {@code state}) and tag timestamp
 * calls go through the switch too; releasing a lease never fails, as in the Redis layer.
 *
 * <p>Built from a {@link ChaosLayerSpec} (type {@value ChaosLayerSpec#TYPE}), or directly around
 * any layer.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ChaosLayer<K, V> implements Layer<K, V> {

  private final Layer<K, V> delegate;
  private final Chaos chaos;
  private final String cacheName;

  /** Wraps {@code delegate} of cache {@code cacheName}, switched by {@code chaos}. */
  public ChaosLayer(Layer<K, V> delegate, Chaos chaos, String cacheName) {
    this.delegate = delegate;
    this.chaos = chaos;
    this.cacheName = cacheName;
  }

  /** The wrapped layer. */
  public Layer<K, V> delegate() {
    return delegate;
  }

  /** The switch of this layer. */
  public Chaos chaos() {
    return chaos;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public LayerTraits traits() {
    return delegate.traits();
  }

  @Override
  public StoredEntry<V> get(K key) {
    before(Chaos.Operation.GET);
    return delegate.get(key);
  }

  @Override
  public void put(K key, StoredEntry<V> entry) {
    before(Chaos.Operation.PUT);
    delegate.put(key, entry);
  }

  @Override
  public StoredEntry<V> remove(K key) {
    before(Chaos.Operation.REMOVE);
    return delegate.remove(key);
  }

  @Override
  public boolean remove(K key, StoredEntry<V> expected) {
    before(Chaos.Operation.REMOVE);
    return delegate.remove(key, expected);
  }

  @Override
  public StoredEntry<V> compute(K key,
      BiFunction<? super K, ? super StoredEntry<V>, ? extends StoredEntry<V>> remapping) {
    before(Chaos.Operation.COMPUTE);
    return delegate.compute(key, remapping);
  }

  @Override
  public void clear() {
    before(Chaos.Operation.CLEAR);
    delegate.clear();
  }

  @Override
  public Iterator<K> keys() {
    before(Chaos.Operation.KEYS);
    return delegate.keys();
  }

  @Override
  public long estimatedSize() {
    before(Chaos.Operation.SIZE);
    return delegate.estimatedSize();
  }

  @Override
  public Map<String, Long> diagnostics() {
    return delegate.diagnostics();
  }

  @Override
  public void resetDiagnostics() {
    delegate.resetDiagnostics();
  }

  @Override
  public LoadLeases<K> loadLeases() {
    LoadLeases<K> leases = delegate.loadLeases();
    if (leases == null) {
      return null;
    }
    return new LoadLeases<>() {
      @Override
      public Lease tryAcquire(K key, Duration leaseTime) {
        before(Chaos.Operation.LEASE);
        return leases.tryAcquire(key, leaseTime);
      }

      @Override
      public State state(K key) {
        before(Chaos.Operation.LEASE);
        return leases.state(key);
      }

      @Override
      public Watch watchRelease(K key, ReleaseListener onRelease) {
        return leases.watchRelease(key, onRelease);
      }
    };
  }

  @Override
  public TagTimestamps tagTimestamps() {
    TagTimestamps timestamps = delegate.tagTimestamps();
    if (timestamps == null) {
      return null;
    }
    return new TagTimestamps() {
      @Override
      public long raise(String tag, long stamp) {
        before(Chaos.Operation.TAGS);
        return timestamps.raise(tag, stamp);
      }

      @Override
      public long[] read(java.util.List<String> tags) {
        before(Chaos.Operation.TAGS);
        return timestamps.read(tags);
      }
    };
  }

  @Override
  public void close() {
    delegate.close();
  }

  private void before(Chaos.Operation operation) {
    chaos.before(operation, cacheName, delegate.name());
  }
}
