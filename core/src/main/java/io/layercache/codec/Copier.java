package io.layercache.codec;

/**
 * Makes the private copy a store-by-value cache keeps of a key or value, and the copy it hands
 * back, so callers mutating their objects never change what the cache holds.
 */
@FunctionalInterface
public interface Copier {

  /** The copier of a store-by-reference cache: returns the object itself. */
  Copier IDENTITY = new Copier() {
    @Override
    public <T> T copy(T object) {
      return object;
    }
  };

  /**
   * The copier of a store-by-value cache of these key and value types: {@link #IDENTITY} when
   * both are immutable (a {@code String} or {@code Integer} cache needs no copies, so its hits cost
   * what store-by-reference hits cost), else a {@link KryoCopier} on {@code classLoader}.
   */
  static Copier forStoreByValue(Class<?> keyType, Class<?> valueType, ClassLoader classLoader) {
    return immutableFinal(keyType) && immutableFinal(valueType) ? IDENTITY : new KryoCopier(classLoader);
  }

  /** True when every instance of {@code type} is immutable: the class is immutable and final (no subclasses). */
  private static boolean immutableFinal(Class<?> type) {
    return java.lang.reflect.Modifier.isFinal(type.getModifiers()) && ImmutableTypes.isImmutable(type);
  }

  /**
   * A copy of {@code object} that shares no mutable state with it (the object itself when it
   * is immutable).
   *
   * @throws IllegalArgumentException when the object's type cannot be copied
   */
  <T> T copy(T object);
}
