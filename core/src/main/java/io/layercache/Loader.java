package io.layercache;

import org.jspecify.annotations.Nullable;
/**
 * Computes the value of a key that no layer holds.
 *
 * <p>Used by {@link LayerCache#get(Object, Loader)}. A loader may throw any exception: callers
 * receive it wrapped in a {@link javax.cache.integration.CacheLoaderException}, and nothing is
 * cached. Returning {@code null} means "not found": nothing is cached and the caller gets
 * {@code null}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Loader<K, V> {

  /**
   * Loads the value of {@code key} from the origin.
   *
   * @param key the key that missed in every layer, never null
   * @return the value, or {@code null} when the origin has none
   * @throws Exception when the origin fails
   */
  @Nullable V load(K key) throws Exception;
}
