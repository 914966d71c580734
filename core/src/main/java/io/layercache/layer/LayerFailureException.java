package io.layercache.layer;

import javax.cache.CacheException;

/**
 * Thrown by a layer when its backing store could not be reached or did not answer in time, as
 * opposed to a refused operation. Only these failures count towards the layer's circuit breaker.
 */
public class LayerFailureException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** A failure with its message and cause. */
  public LayerFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
