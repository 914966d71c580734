package io.layercache.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A shared "Redis" in this JVM: every cache built from an {@link InMemoryRemoteLayerSpec} with
 * the same namespace and cache name reads and writes the same {@link RemoteStore}, whichever
 * cache manager built it. Two cache managers therefore behave as two application instances
 * sharing one remote layer, each with its own memory layer.
 *
 * <p>Remotes are kept in a static registry by namespace. Tests take a fresh one with
 * {@link #create()} (a random namespace, so tests never see each other's entries) and may drop
 * it with {@link #forget()} when done.
 */
public final class InMemoryRemote {

  private static final ConcurrentHashMap<String, InMemoryRemote> REMOTES = new ConcurrentHashMap<>();

  private final String namespace;
  private final ConcurrentHashMap<String, RemoteStore> stores = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<InMemoryRemoteLayer<?, ?>>> layers = new ConcurrentHashMap<>();

  private InMemoryRemote(String namespace) {
    this.namespace = namespace;
  }

  /** A new remote under a random namespace: isolated from every other test. */
  public static InMemoryRemote create() {
    return named("test-" + UUID.randomUUID());
  }

  /** The remote of {@code namespace}, made on first use. */
  public static InMemoryRemote named(String namespace) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("in-memory-remote.namespace must not be blank");
    }
    return REMOTES.computeIfAbsent(namespace, InMemoryRemote::new);
  }

  /** The namespace that selects this remote in {@link InMemoryRemoteLayerSpec}. */
  public String namespace() {
    return namespace;
  }

  /** The layer definition of this remote, with the defaults (leases on, 5 s grace). */
  public InMemoryRemoteLayerSpec spec() {
    return InMemoryRemoteLayerSpec.of(namespace);
  }

  /** The shared store of cache {@code cacheName}. */
  public RemoteStore store(String cacheName) {
    return stores.computeIfAbsent(cacheName, name -> new RemoteStore(namespace, name));
  }

  /**
   * The layers built for cache {@code cacheName} on this remote, in the order they were built:
   * one per instance (cache manager) that created the cache.
   */
  public List<InMemoryRemoteLayer<?, ?>> layers(String cacheName) {
    return new ArrayList<>(layers.getOrDefault(cacheName, List.of()));
  }

  /**
   * The layer the {@code index}-th instance (0 first) built for cache {@code cacheName}.
   *
   * @throws IndexOutOfBoundsException when fewer instances created the cache
   */
  @SuppressWarnings("unchecked")
  public <K, V> InMemoryRemoteLayer<K, V> layer(String cacheName, int index) {
    return (InMemoryRemoteLayer<K, V>) layers(cacheName).get(index);
  }

  /** Total calls of {@code operation} by every instance's layer of cache {@code cacheName}. */
  public long calls(String cacheName, RemoteOperation operation) {
    return layers(cacheName).stream().mapToLong(layer -> layer.calls(operation)).sum();
  }

  /** Drops this remote from the registry; a later {@link #named} with its namespace starts empty. */
  public void forget() {
    REMOTES.remove(namespace, this);
  }

  void register(String cacheName, InMemoryRemoteLayer<?, ?> layer) {
    layers.computeIfAbsent(cacheName, name -> new CopyOnWriteArrayList<>()).add(layer);
  }

  @Override
  public String toString() {
    return "InMemoryRemote[" + namespace + "]";
  }
}
