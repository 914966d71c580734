package io.layercache.layer;

/**
 * Thrown when a layer is unavailable: its circuit breaker is open, or the call failed. In
 * graceful mode the coordinator skips the layer; in strict mode the caller receives it.
 */
public final class LayerUnavailableException extends LayerFailureException {

  private static final long serialVersionUID = 1L;

  /** An unavailable layer with its reason. */
  public LayerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
