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

  /** What a Hibernate user allows on Redis: Hibernate's classes, and the model (enums). */
  static final String HIBERNATE_ALLOW_LIST = "[\"org.hibernate.\", \"io.layercache.integration.model.\"]";

  /**
   * The narrower list docs/serialization.md gives: Hibernate's cache package and the one query
   * class its query cache keys hold, instead of all of {@code org.hibernate.}.
   */
  static final String NARROW_HIBERNATE_ALLOW_LIST = "[\"org.hibernate.cache.\", "
      + "\"org.hibernate.query.internal.QueryParameterBindingsImpl\", \"io.layercache.integration.model.\"]";

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
    return memoryAndRedis(directory, name, redis, namespace, HIBERNATE_ALLOW_LIST);
  }

  /** The same with another {@code codec.allowed-class-prefixes} (a HOCON list). */
  static URI memoryAndRedis(Path directory, String name, RedisServer redis, String namespace,
      String allowList) {
    return write(directory, name, """
        layercache.default {
          layers = [memory, redis]
          redis {
            address = "%s"
            namespace = "%s"
            codec.allowed-class-prefixes = %s
          }
        }
        """.formatted(redis.uri(), namespace, allowList));
  }

  private static URI write(Path directory, String name, String hocon) {
    try {
      return Files.writeString(directory.resolve(name + ".conf"), hocon).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
