package io.layercache.examples.hibernate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Runs {@link HibernateDemo} on an in-memory H2 database and prints each step with what it cost.
 * Uses {@code layercache-hibernate.conf} (memory -> Redis, Redis invalidation bus) when
 * {@code REDIS_URL} is set or a Redis answers on 127.0.0.1:6379, and
 * {@code layercache-hibernate-memory.conf} (memory only) otherwise.
 */
public final class HibernateExample {

  private HibernateExample() {}

  /** Runs the demo and prints it. */
  public static void main(String[] args) {
    System.setProperty("org.jboss.logging.provider", "slf4j"); // Hibernate's logs through SLF4J
    boolean redis = redisAvailable();
    URI file = resource(redis ? "layercache-hibernate.conf" : "layercache-hibernate-memory.conf");
    System.out.println("LayerCache as Hibernate's second-level cache");
    System.out.println("  settings: " + file.toString().replaceFirst(".*/", "") + (redis
        ? " (memory -> redis, Redis bus)"
        : " (memory only: set REDIS_URL or start redis-server on 127.0.0.1:6379 for memory -> redis)"));
    try (Catalog catalog = Catalog.start(CatalogSettings.inMemory("demo-" + UUID.randomUUID(), file))) {
      if (redis) {
        catalog.evictAllRegions(); // entries of an earlier run, kept in Redis
      }
      for (HibernateDemo.Step step : new HibernateDemo(catalog).run()) {
        System.out.println();
        System.out.println(step.title());
        System.out.println("  -> " + step.result());
        System.out.println("  [" + step.cost() + "]");
      }
    }
  }

  /** A class-path resource as the file: or jar: URI Hibernate's {@code hibernate.javax.cache.uri} needs. */
  static URI resource(String name) {
    URL url = HibernateExample.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException(name + " is not on the class path");
    }
    try {
      return url.toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot turn " + url + " into a URI", e);
    }
  }

  private static boolean redisAvailable() {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return true;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 200);
      socket.setSoTimeout(500);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      return "+PONG".equals(new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }
}
