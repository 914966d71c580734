package io.layercache.redis;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per cache manager that renews the load leases its caches hold, so a lease
 * outlives a slow loader but not a dead (or paused) holder.
 */
final class LeaseRenewer implements AutoCloseable {

  /** The key of the manager's renewer among its shared resources. */
  static final String RESOURCE_KEY = "layercache.redis.lease-renewer";

  private final ScheduledThreadPoolExecutor scheduler;

  LeaseRenewer() {
    scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "layercache-lease-renewer");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /** Runs {@code renewal} every {@code periodMillis} until the returned handle is cancelled. */
  ScheduledFuture<?> every(long periodMillis, Runnable renewal) {
    return scheduler.scheduleWithFixedDelay(renewal, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** The scheduler (for tests). */
  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
