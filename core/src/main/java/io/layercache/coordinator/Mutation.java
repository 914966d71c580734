package io.layercache.coordinator;

import org.jspecify.annotations.Nullable;

/**
 * A conditional change of one key, decided inside the key's atomic section from the live value.
 * The cache core applies the decision with the entry semantics every operation shares (expiry
 * policy, write stamps, change records); the decision only says what to do.
 *
 * <p>The function may be called more than once when a remote layer retries its compare-and-set;
 * only the last call's decision is applied. Side effects belong in a {@link WriteThroughOnce}.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface Mutation<V> {

  /** What to do with the key, given its live value ({@code null} when absent or expired). */
  Decision<V> decide(@Nullable V live);

  /**
   * What a {@link Mutation} decided.
   *
   * @param action what to do
   * @param value  the value to store for {@link Action#PUT}, else null
   * @param <V>    the value type
   */
  record Decision<V>(Action action, @Nullable V value) {

    private static final Decision<?> KEEP = new Decision<>(Action.KEEP, null);
    private static final Decision<?> ACCESS = new Decision<>(Action.ACCESS, null);
    private static final Decision<?> REMOVE = new Decision<>(Action.REMOVE, null);

    /** Leave the entry as it is. */
    @SuppressWarnings("unchecked")
    public static <V> Decision<V> keep() {
      return (Decision<V>) KEEP;
    }

    /** Leave the value, but count a read of it (access expiry). */
    @SuppressWarnings("unchecked")
    public static <V> Decision<V> access() {
      return (Decision<V>) ACCESS;
    }

    /** Store {@code value} (already copied when the cache stores by value). */
    public static <V> Decision<V> put(V value) {
      return new Decision<>(Action.PUT, value);
    }

    /** Remove the entry. */
    @SuppressWarnings("unchecked")
    public static <V> Decision<V> remove() {
      return (Decision<V>) REMOVE;
    }
  }

  /** The kinds of decision. */
  enum Action { KEEP, ACCESS, PUT, REMOVE }

  /**
   * What a mutation did.
   *
   * @param previous the live value it saw ({@code null} when absent), the cache's own instance
   * @param action   the decision it applied
   * @param stored   true when the decision changed the cache (a put, or a removal of a live entry)
   * @param <V>      the value type
   */
  record Outcome<V>(@Nullable V previous, Action action, boolean stored) {}
}
