package io.layercache.examples.quarkus;

import io.layercache.testsupport.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A real redis-server for {@link RedisProfile}'s tests, started before Quarkus, and a LayerCache
 * file that includes the shipped {@code layercache-redis.conf} and points it at that server.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

  private RedisServer redis;

  @Override
  public Map<String, String> start() {
    redis = RedisServer.start();
    try {
      Path file = Files.createTempFile("layercache-quarkus-", ".conf");
      file.toFile().deleteOnExit();
      Files.writeString(file, """
          include classpath("layercache-redis.conf")
          layercache.default.redis { address = "%s", namespace = "%s" }
          """.formatted(redis.uri(), "quarkus-" + UUID.randomUUID()));
      return Map.of("app.layercache-config", file.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }
}
