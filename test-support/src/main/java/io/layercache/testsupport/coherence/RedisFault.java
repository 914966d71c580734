package io.layercache.testsupport.coherence;

import io.layercache.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A fault of the shared Redis that a {@link FaultScenario} injects during a coherence run. */
public enum RedisFault {

  /** {@code CLIENT KILL TYPE pubsub}: every instance's subscription drops at once (lasts no time). */
  SUBSCRIBERS_KILLED("subscriber connections killed (CLIENT KILL TYPE pubsub)") {
    @Override
    void inject(RedisServer redis, Duration length) {
      redis.command("CLIENT", "KILL", "TYPE", "pubsub");
    }
  },

  /**
   * {@code CLIENT PAUSE length WRITE}: Redis holds back writes, scripts and PUBLISH for the length
   * and then runs them, reads go on. A client that gave up on a held-back write may still see it
   * applied.
   */
  WRITES_HELD("redis-server holds back writes (CLIENT PAUSE WRITE)") {
    @Override
    void inject(RedisServer redis, Duration length) {
      redis.command("CLIENT", "PAUSE", Long.toString(length.toMillis()), "WRITE");
      hold(length);
    }
  },

  /** SIGSTOP for the length, then SIGCONT: connections stay open and nothing answers. */
  PAUSED("redis-server SIGSTOP") {
    @Override
    void inject(RedisServer redis, Duration length) {
      redis.pause();
      hold(length);
      redis.resume();
    }
  },

  /** SIGKILL, down for the length, then started again on the same port (with what it persisted). */
  KILLED("redis-server kill -9, restarted") {
    @Override
    void inject(RedisServer redis, Duration length) {
      redis.kill();
      hold(length);
      redis.restart();
    }
  };

  private final String description;

  RedisFault(String description) {
    this.description = description;
  }

  /** What happens, for reports. */
  public String describe(Duration length) {
    return this == SUBSCRIBERS_KILLED ? description : description + " for " + length.toMillis() / 1000.0 + " s";
  }

  /** Injects the fault and returns once it is lifted (Redis answers again). */
  abstract void inject(RedisServer redis, Duration length);

  /** The fault's length is the thing injected: waited out on purpose. */
  private static void hold(Duration length) {
    long until = System.nanoTime() + length.toNanos();
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
  }
}
