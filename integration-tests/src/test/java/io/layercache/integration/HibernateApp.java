package io.layercache.integration;

import io.layercache.integration.model.Author;
import io.layercache.integration.model.Book;
import java.net.URI;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;

/**
 * One application instance: a Hibernate session factory on an H2 in-memory database, with its
 * second-level cache on LayerCache through {@code hibernate-jcache}, configured as a user would:
 * the region factory {@code jcache}, the provider named explicitly (a Redisson jar on the class
 * path would bring a second provider), and the LayerCache file given as
 * {@code hibernate.javax.cache.uri}. Regions Hibernate does not find are created from a plain
 * {@code MutableConfiguration}: store-by-value, on the file's default layers.
 */
final class HibernateApp implements AutoCloseable {

  private final SessionFactory sessionFactory;

  private HibernateApp(SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** Starts an instance on database {@code database} (created if missing) with this cache file. */
  static HibernateApp start(String database, URI layerCacheConfig) {
    Configuration configuration = new Configuration()
        .addAnnotatedClass(Author.class)
        .addAnnotatedClass(Book.class)
        .setProperty("hibernate.connection.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1")
        .setProperty("hibernate.connection.username", "sa")
        .setProperty("hibernate.hbm2ddl.auto", "update")
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.use_query_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "jcache")
        .setProperty("hibernate.javax.cache.provider", "io.layercache.jcache.LayerCachingProvider")
        .setProperty("hibernate.javax.cache.uri", layerCacheConfig.toString())
        .setProperty("hibernate.javax.cache.missing_cache_strategy", "create")
        .setProperty("hibernate.generate_statistics", "true");
    return new HibernateApp(configuration.buildSessionFactory());
  }

  SessionFactory sessionFactory() {
    return sessionFactory;
  }

  Statistics statistics() {
    return sessionFactory.getStatistics();
  }

  /** Runs {@code work} in a new session and transaction, committed at the end. */
  <T> T fromTransaction(Function<Session, T> work) {
    return sessionFactory.fromTransaction(work);
  }

  /** Runs {@code work} in a new session and transaction, committed at the end. */
  void inTransaction(Consumer<Session> work) {
    sessionFactory.inTransaction(work);
  }

  /** The JCache cache behind a Hibernate region. */
  Cache<Object, Object> region(String name) {
    CacheManager manager = ((JCacheRegionFactory) sessionFactory.unwrap(SessionFactoryImplementor.class)
        .getCache().getRegionFactory()).getCacheManager();
    return manager.getCache(name);
  }

  @Override
  public void close() {
    sessionFactory.close();
  }
}
