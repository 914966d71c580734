package io.layercache;

/**
 * The wall clock the cache judges expiry with. Replaceable so tests can move time without
 * sleeping.
 */
@FunctionalInterface
public interface TimeSource {

  /** The system clock. */
  TimeSource SYSTEM = System::currentTimeMillis;

  /** Milliseconds since the epoch. */
  long currentTimeMillis();
}
