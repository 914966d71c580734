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
   * A copy of {@code object} that shares no mutable state with it (the object itself when it
   * is immutable).
   *
   * @throws IllegalArgumentException when the object's type cannot be copied
   */
  <T> T copy(T object);
}
