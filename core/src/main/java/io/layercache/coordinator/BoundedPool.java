package io.layercache.coordinator;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of daemon threads shared by a cache manager's caches, for work a caller waits
 * on with a timeout: remote reads under the remote soft timeout, and loads under a loader
 * timeout.
 *
 * <ul>
 *   <li>Bounded, with no queue: while every thread is busy (a slow Redis, a hanging origin),
 *       more work is refused at once with {@link java.util.concurrent.RejectedExecutionException}
 *       instead of piling up threads; callers then go on with their fallback or fail.
 *   <li>Idle threads end after a minute.
 * </ul>
 */
public final class BoundedPool implements Executor, AutoCloseable {

  /** The key of the remote-read pool among a cache manager's shared resources. */
  public static final String REMOTE_READS = "layercache.remote-read-pool";
  /** The key of the load pool among a cache manager's shared resources. */
  public static final String LOADS = "layercache.load-pool";
  /** The most remote reads waiting at once. */
  static final int MAX_REMOTE_READS = 32;
  /** The most loads running at once under a loader timeout, across a cache manager's caches. */
  static final int MAX_LOADS = 64;

  private final ThreadPoolExecutor pool;

  private BoundedPool(String threadPrefix, int maxThreads) {
    AtomicInteger count = new AtomicInteger();
    pool = new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, threadPrefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** The pool for remote reads under the remote soft timeout. */
  public static BoundedPool forRemoteReads() {
    return new BoundedPool("layercache-remote-read-", MAX_REMOTE_READS);
  }

  /** The pool for loads under a loader timeout. */
  public static BoundedPool forLoads() {
    return new BoundedPool("layercache-load-", MAX_LOADS);
  }

  /** Runs {@code task}, or throws {@link java.util.concurrent.RejectedExecutionException} when every thread is busy. */
  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /** The threads alive now (for tests and diagnostics). */
  public int threads() {
    return pool.getPoolSize();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
