package io.layercache.layer;

import javax.cache.CacheException;

/**
 * A write of a value loaded under a lease that is no longer the newest lease of its key: another
 * instance took over the load, so this late value must not replace what it stored. The write did
 * not happen; the caller keeps its value but the cache keeps the newer one.
 */
public class FencedWriteException extends CacheException {

  private static final long serialVersionUID = 1L;

  /** A refused write, described by {@code message}. */
  public FencedWriteException(String message) {
    super(message);
  }
}
