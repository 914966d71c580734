package io.layercache.testsupport.coherence;

import java.util.Objects;

/**
 * A stretch of a run during which a fault was injected: reads that began inside it are judged and
 * counted on their own, not against the bound that holds while the bus is up.
 *
 * @param label what happened, e.g. {@code redis SIGSTOP 10 s}
 * @param from  {@code System.nanoTime} when the fault began
 * @param to    when the window closes: usually when the fault was lifted plus the repair the
 *              configuration promises (e.g. the reconcile interval)
 */
public record FaultWindow(String label, long from, long to) {

  /** Checks the window. */
  public FaultWindow {
    Objects.requireNonNull(label, "label");
    if (to < from) {
      throw new IllegalArgumentException("a fault window ends before it begins");
    }
  }

  boolean contains(long nanos) {
    return nanos >= from && nanos <= to;
  }
}
