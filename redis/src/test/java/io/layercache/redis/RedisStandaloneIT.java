package io.layercache.redis;

import io.layercache.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link RedisTopologyContract} on one standalone server: the reference the other topologies
 * are held to. Standalone-only behaviour (faults, bad bytes, ACL) has classes of its own.
 */
class RedisStandaloneIT extends RedisTopologyContract {

  private static RedisServer redis;

  @BeforeAll
  static void startServer() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopServer() {
    redis.close();
  }

  @Override
  protected RedisConnection connection() {
    return RedisConnection.Addresses.standalone(redis.uri());
  }

  @Override
  protected long countKeys(String pattern) {
    return ((List<?>) redis.command("KEYS", pattern)).size();
  }

  @Override
  protected void deleteKey(String key) {
    redis.command("DEL", key);
  }
}
