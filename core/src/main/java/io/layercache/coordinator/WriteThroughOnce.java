package io.layercache.coordinator;

/**
 * Runs an operation's side effect (a JCache {@code CacheWriter} call) once, although the
 * {@link Mutation} that asks for it may be decided again when a remote layer retries its
 * compare-and-set after losing a race with another instance.
 *
 * <ul>
 *   <li>A retry that decides the same effect (same kind, same value instance: a retry passes
 *       the instance it was given) does not repeat it: a user's writer, often an audit log or a
 *       database row, sees one call per operation.
 *   <li>A retry that decides a different effect runs that one. (A conditional operation that
 *       lost its race after its writer ran, and then changes nothing, has still called the writer
 *       once: the writer runs before the cache commits, as JCache requires.)
 *   <li>One instance per operation, used by one thread.
 * </ul>
 */
public final class WriteThroughOnce {

  private Object lastEffect;
  private Object lastArgument;

  /** Runs {@code effect} unless this operation already ran the same effect with the same argument. */
  public void run(Object effectKind, Object argument, Runnable effect) {
    if (effectKind.equals(lastEffect) && argument == lastArgument) {
      return;
    }
    effect.run();
    lastEffect = effectKind;
    lastArgument = argument;
  }
}
