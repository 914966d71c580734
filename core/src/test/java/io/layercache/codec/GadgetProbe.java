package io.layercache.codec;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set by {@code forbidden.Gadget}'s static initializer; kept apart so reading it loads nothing. */
public final class GadgetProbe {
  public static final AtomicBoolean INITIALIZED = new AtomicBoolean();

  private GadgetProbe() {}
}
