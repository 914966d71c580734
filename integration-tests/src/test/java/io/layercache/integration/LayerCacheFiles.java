package io.layercache.integration;

import io.layercache.testsupport.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * LayerCache configuration files as a Hibernate user would write them; each is a new file, so
 * each {@link HibernateApp} gets a cache manager of its own.
 */
final class LayerCacheFiles {

  /** What a Hibernate user allows on Redis: Hibernate's cache entries and keys, and the model (enums). */
  static final String HIBERNATE_ALLOW_LIST = "[\"org.hibernate.\", \"io.layercache.integration.model.\"]";

  private LayerCacheFiles() {}

  /** Caches on the memory layer only. */
  static URI memory(Path directory, String name) {
    return write(directory, name, """
        layercache.default {
          layers = [memory]
          memory.maximum-size = 10000
        }
        """);
  }

  /** Caches on memory over Redis; instances with the same namespace share the entries. */
  static URI memoryAndRedis(Path directory, String name, RedisServer redis, String namespace) {
    return write(directory, name, """
        layercache.default {
          layers = [memory, redis]
          redis {
            address = "%s"
            namespace = "%s"
            codec.allowed-class-prefixes = %s
          }
        }
        """.formatted(redis.uri(), namespace, HIBERNATE_ALLOW_LIST));
  }

  private static URI write(Path directory, String name, String hocon) {
    try {
      return Files.writeString(directory.resolve(name + ".conf"), hocon).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
