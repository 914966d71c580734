package io.layercache.tck;

import com.typesafe.config.ConfigFactory;
import io.layercache.testsupport.RedisServer;
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.RunListener;

/**
 * TCK glue for the memory+Redis run ({@code layercache.tck.stack=memory-redis}): starts a real
 * redis-server before the run, points the default template at it, empties it before each test
 * (the TCK reuses cache names across tests and does not always destroy its caches) and stops it
 * after the run. Does nothing for other stacks.
 */
public final class TckRedisServer extends RunListener {

  private RedisServer server;

  private static boolean active() {
    return "memory-redis".equals(System.getProperty("layercache.tck.stack"));
  }

  @Override
  public void testRunStarted(Description description) {
    if (!active()) {
      return;
    }
    server = RedisServer.start();
    System.setProperty("layercache.default.redis.address", server.uri());
    ConfigFactory.invalidateCaches();
  }

  @Override
  public void testStarted(Description description) {
    if (server != null) {
      server.flushAll();
    }
  }

  @Override
  public void testRunFinished(Result result) {
    if (server != null) {
      // Evidence that the invalidation bus was on during the run: Redis counted its PUBLISHes.
      String stats = String.valueOf(io.layercache.testsupport.RespClient.text(server.command("INFO", "commandstats")));
      java.util.regex.Matcher publishes = java.util.regex.Pattern.compile("cmdstat_publish:calls=(\\d+)").matcher(stats);
      System.out.println("TCK[memory-redis] invalidation bus messages published: "
          + (publishes.find() ? publishes.group(1) : "0"));
      server.close();
    }
  }
}
