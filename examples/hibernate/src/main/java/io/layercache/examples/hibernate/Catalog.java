package io.layercache.examples.hibernate;

import io.layercache.examples.hibernate.model.Category;
import io.layercache.examples.hibernate.model.Product;
import io.layercache.examples.hibernate.model.Review;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.stat.Statistics;

/**
 * One instance of the catalog application: a Hibernate {@link SessionFactory} whose second-level
 * cache is LayerCache, reached through {@code hibernate-jcache}. Everything cache-related is in
 * {@link #start}: the rest is ordinary Hibernate code, unaware of the cache.
 *
 * <ul>
 *   <li>Products and reviews are READ_WRITE entities, categories NONSTRICT_READ_WRITE; a product's
 *       reviews are a cached collection; {@link #cheaperThan} is a cached query.</li>
 *   <li>Instances sharing a database and a Redis (with {@code bus.type = redis} in the LayerCache
 *       file) see each other's updates and deletes: a commit on one drops the other instances'
 *       memory copies.</li>
 * </ul>
 */
public final class Catalog implements AutoCloseable {

  /** The LayerCache provider, named because Redisson on the class path registers a second one. */
  public static final String PROVIDER = "io.layercache.jcache.LayerCachingProvider";

  private final SessionFactory sessionFactory;

  private Catalog(SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** Starts an instance: connects to the database (creating the tables if missing) and the caches. */
  public static Catalog start(CatalogSettings settings) {
    Configuration configuration = new Configuration()
        .addAnnotatedClass(Category.class)
        .addAnnotatedClass(Product.class)
        .addAnnotatedClass(Review.class)
        .setProperty("hibernate.connection.url", settings.jdbcUrl())
        .setProperty("hibernate.connection.username", "sa")
        .setProperty("hibernate.hbm2ddl.auto", "update")
        // The second-level cache: entities and collections, and the query cache.
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.use_query_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "jcache")
        .setProperty("hibernate.javax.cache.provider", PROVIDER)
        .setProperty("hibernate.javax.cache.uri", settings.layerCacheFile().toString())
        // Regions the file does not declare are created from its layercache.default template.
        .setProperty("hibernate.javax.cache.missing_cache_strategy", "create")
        // Only for the counters the example prints; leave it off in production.
        .setProperty("hibernate.generate_statistics", "true");
    return new Catalog(configuration.buildSessionFactory());
  }

  /** Stores a category and its products (which must reference it), each with {@code reviews} reviews. */
  public void addCategory(Category category, List<Product> products, int reviews) {
    sessionFactory.inTransaction(session -> {
      session.persist(category);
      for (Product product : products) {
        for (int i = 1; i <= reviews; i++) {
          product.add(new Review(product.getId() * 100 + i, 1 + i % 5, "review " + i + " of " + product.getName()));
        }
        session.persist(product);
      }
    });
  }

  /** A product with its category's name; empty when there is no such product. */
  public Optional<ProductView> product(long id) {
    return sessionFactory.fromTransaction(session -> Optional.ofNullable(session.find(Product.class, id))
        .map(p -> new ProductView(p.getId(), p.getName(), p.getPrice(), p.getCategory().getName())));
  }

  /** The texts of a product's reviews (the cached collection); empty when there is no such product. */
  public List<String> reviews(long productId) {
    return sessionFactory.fromTransaction(session -> Optional.ofNullable(session.find(Product.class, productId))
        .map(p -> p.getReviews().stream().map(Review::getText).toList())
        .orElse(List.of()));
  }

  /** The names of the products cheaper than {@code limit}, by id: a query answered by the query cache. */
  public List<String> cheaperThan(BigDecimal limit) {
    return sessionFactory.fromTransaction(session -> session
        .createSelectionQuery("from Product p where p.price < :limit order by p.id", Product.class)
        .setParameter("limit", limit)
        .setCacheable(true)
        .getResultList().stream().map(Product::getName).toList());
  }

  /** Renames a product. */
  public void rename(long productId, String name) {
    sessionFactory.inTransaction(session -> session.find(Product.class, productId).setName(name));
  }

  /** Changes a product's price. */
  public void reprice(long productId, BigDecimal price) {
    sessionFactory.inTransaction(session -> session.find(Product.class, productId).setPrice(price));
  }

  /** Adds a review to a product (its cached collection changes). */
  public void addReview(long productId, long reviewId, int stars, String text) {
    sessionFactory.inTransaction(session -> session.find(Product.class, productId)
        .add(new Review(reviewId, stars, text)));
  }

  /** Renames a category (a NONSTRICT_READ_WRITE entity: evicted from the cache after the commit). */
  public void renameCategory(long categoryId, String name) {
    sessionFactory.inTransaction(session -> session.find(Category.class, categoryId).setName(name));
  }

  /** Deletes a product and its reviews. */
  public void delete(long productId) {
    sessionFactory.inTransaction(session -> session.remove(session.find(Product.class, productId)));
  }

  /** Empties the products' region: the next read of any product goes to the database. */
  public void evictProducts() {
    sessionFactory.getCache().evictEntityData(Product.class);
  }

  /**
   * JPA's {@code Cache.evictAll()}: empties every <em>entity</em> region, on every instance (each
   * region's {@code clear()} reaches the others over the bus). Collections and query results stay.
   */
  public void evictAll() {
    sessionFactory.getCache().evictAll();
  }

  /** Empties every region: entities, collections, query results and update timestamps. */
  public void evictAllRegions() {
    sessionFactory.getCache().evictAllRegions();
  }

  /** Hibernate's counters since this instance started. */
  public CacheCounters counters() {
    Statistics statistics = sessionFactory.getStatistics();
    return new CacheCounters(statistics.getPrepareStatementCount(), statistics.getSecondLevelCacheHitCount(),
        statistics.getSecondLevelCacheMissCount(), statistics.getSecondLevelCachePutCount(),
        statistics.getQueryCacheHitCount());
  }

  /** The underlying session factory, for anything this example does not wrap. */
  public SessionFactory sessionFactory() {
    return sessionFactory;
  }

  @Override
  public void close() {
    sessionFactory.close();
  }
}
