package io.layercache.cdi;

import java.util.Arrays;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * The key of the default key generator: the key parameters' values, compared element by element
 * ({@link Arrays#deepEquals}), so arrays among them compare by content.
 *
 * <p>The hash is computed on each call rather than kept in a field: LayerCache's Redis codec
 * rebuilds objects from their fields, and a derived field would be one more thing to keep in
 * step. On a Redis layer, allow this class ({@code io.layercache.cdi.DefaultCacheKey}) and the
 * parameters' classes in {@code redis.codec.allowed-class-prefixes}.
 */
public final class DefaultCacheKey implements GeneratedCacheKey {

  private static final long serialVersionUID = 1L;

  private final Object[] parameters;

  /** A key over these parameter values (copied). */
  public DefaultCacheKey(Object... parameters) {
    this.parameters = parameters.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DefaultCacheKey key && Arrays.deepEquals(parameters, key.parameters);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(parameters);
  }

  @Override
  public String toString() {
    return "DefaultCacheKey" + Arrays.deepToString(parameters);
  }
}
