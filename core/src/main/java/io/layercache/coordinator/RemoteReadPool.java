package io.layercache.coordinator;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run remote reads under the remote soft timeout, shared by a cache manager's
 * caches. Bounded: while every thread waits for a slow remote layer, further reads are refused
 * at once (and go on with their stale fallback) instead of piling up threads.
 */
public final class RemoteReadPool implements Executor, AutoCloseable {

  /** The key of the pool among a cache manager's shared resources. */
  public static final String RESOURCE_KEY = "layercache.remote-read-pool";
  /** The most remote reads waiting at once. */
  static final int MAX_THREADS = 32;

  private final ThreadPoolExecutor pool;

  /** A pool of at most {@value #MAX_THREADS} daemon threads, idle ones ending after a minute. */
  public RemoteReadPool() {
    AtomicInteger count = new AtomicInteger();
    pool = new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, "layercache-remote-read-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code read}, or throws {@link java.util.concurrent.RejectedExecutionException} when every thread is busy. */
  @Override
  public void execute(Runnable read) {
    pool.execute(read);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
