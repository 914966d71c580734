package io.layercache.examples.hibernate;

import io.layercache.testsupport.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example's own {@code layercache-hibernate.conf}, pointed at the test's Redis and namespace:
 * a file that includes it and overrides only those two settings, so the tests run the file a
 * newcomer copies.
 */
final class TestFiles {

  private TestFiles() {}

  static URI layerCacheFile(Path directory, RedisServer redis, String namespace) {
    String hocon = """
        include classpath("layercache-hibernate.conf")
        layercache.default.redis {
          address = "%s"
          namespace = "%s"
        }
        """.formatted(redis.uri(), namespace);
    try {
      return Files.writeString(directory.resolve(namespace + ".conf"), hocon).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
