package io.layercache.layer;

/**
 * What a layer is, as the coordinator needs to know it: where it lives and whether its calls
 * can fail. These decide how a layer is treated, instead of one overloaded "is local" flag.
 *
 * <ul>
 *   <li>{@code inProcess}: the layer's data lives in this JVM (memory, a local disk): it is this
 *       instance's own copy, dropped when another instance invalidates a key, never read with a
 *       remote soft timeout, and re-checked after a local single-flight.
 *   <li>{@code canFail}: calls can fail for reasons outside the cache (network, server, disk):
 *       the layer gets a circuit breaker, and graceful mode skips it for the rest of an operation
 *       after a failure.
 * </ul>
 *
 * @param inProcess true when the data lives in this JVM, false when it is shared by instances
 * @param canFail   true when calls can fail for reasons outside the cache
 */
public record LayerTraits(boolean inProcess, boolean canFail) {

  /** A memory layer: in this JVM, never fails. */
  public static final LayerTraits IN_MEMORY = new LayerTraits(true, false);
  /** A shared remote layer (Redis): other instances see its entries; calls can fail. */
  public static final LayerTraits REMOTE = new LayerTraits(false, true);
  /** A local persistent layer (disk): this instance's own copy; calls can fail. */
  public static final LayerTraits LOCAL_STORAGE = new LayerTraits(true, true);

  /** True when other instances share the layer's entries. */
  public boolean shared() {
    return !inProcess;
  }
}
