package io.layercache.examples.hibernate;

import java.net.URI;
import java.util.Objects;

/**
 * Where one instance of the catalog keeps its data and finds its cache settings.
 *
 * @param jdbcUrl the H2 database, e.g. {@code jdbc:h2:mem:catalog;DB_CLOSE_DELAY=-1} for one
 *     instance or {@code jdbc:h2:tcp://db-host:9092/catalog} for instances sharing a database
 * @param layerCacheFile the LayerCache HOCON file ({@code file:} or {@code jar:} URI), handed to
 *     Hibernate as {@code hibernate.javax.cache.uri}
 */
public record CatalogSettings(String jdbcUrl, URI layerCacheFile) {

  /** Validates both settings where they are built, so a bad one fails before Hibernate starts. */
  public CatalogSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(layerCacheFile, "layerCacheFile");
    if (!jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException("jdbcUrl must be an H2 URL (jdbc:h2:...), got " + jdbcUrl);
    }
    String scheme = layerCacheFile.getScheme();
    if (!"file".equals(scheme) && !"jar".equals(scheme)) {
      throw new IllegalArgumentException("layerCacheFile must be a file: or jar: URI (Hibernate cannot resolve "
          + "classpath:), got " + layerCacheFile);
    }
  }

  /** A private in-memory database named {@code name}, alive until the JVM exits. */
  public static CatalogSettings inMemory(String name, URI layerCacheFile) {
    return new CatalogSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", layerCacheFile);
  }
}
