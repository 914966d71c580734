package io.layercache.coordinator;

/**
 * Thrown when a loader reads its own key from the cache: waiting for the load in flight would
 * wait for itself forever, so the call fails at once instead.
 */
public final class ReentrantLoadException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  ReentrantLoadException(Object key) {
    super("The loader of key '" + key + "' re-entered the cache for the same key; a loader must not read its own key");
  }
}
