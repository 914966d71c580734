package io.layercache.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.integration.model.Author;
import io.layercache.integration.model.Book;
import io.layercache.integration.model.Genre;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import org.hibernate.stat.CacheableDataStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate ORM's second-level cache on a LayerCache stack, through {@code hibernate-jcache}
 * with READ_WRITE entities, a cached collection and the query cache. Each test checks what
 * Hibernate's statistics count (hits, misses, puts, SQL statements), so a cache that silently
 * does nothing fails. Subclasses choose the stack.
 */
abstract class SecondLevelCacheContract {

  private static final long ADA = 1L;

  @TempDir
  Path directory;

  protected HibernateApp app;
  protected String database;

  /** A LayerCache file for one more instance of the application. */
  protected abstract URI layerCacheFile(Path directory, String name);

  /** The layers every region must have. */
  protected abstract List<String> expectedLayers();

  @BeforeEach
  void startWithOneAuthorAndTwoBooks() {
    database = "it-" + UUID.randomUUID();
    app = HibernateApp.start(database, layerCacheFile(directory, "instance-a"));
    app.inTransaction(session -> {
      Author ada = new Author(ADA, "Ada");
      ada.add(new Book(10, "Emma", Genre.NOVEL, LocalDate.of(1815, 12, 23), new BigDecimal("9.90")));
      ada.add(new Book(11, "Persuasion", Genre.NOVEL, LocalDate.of(1817, 12, 20), new BigDecimal("7.50")));
      session.persist(ada);
    });
    app.sessionFactory().getCache().evictAllRegions();
    stats().clear();
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  @SuppressWarnings("unchecked") // JCache's getConfiguration(Class) on a raw Cache
  void regionsAreStoreByValueCachesOnTheConfiguredLayers() {
    authorName(ADA);

    Cache<Object, Object> authors = app.region(Author.class.getName());
    assertThat(authors.getConfiguration(CompleteConfiguration.class).isStoreByValue()).isTrue();
    assertThat(((LayerCache<?, ?>) authors.unwrap(LayerCache.class)).layerStatistics())
        .extracting(LayerStatistics::layer).containsExactlyElementsOf(expectedLayers());
  }

  @Test
  void anEntityIsServedFromTheCacheAfterItsFirstLoad() {
    assertThat(authorName(ADA)).isEqualTo("Ada");
    long statements = stats().getPrepareStatementCount();

    assertThat(authorName(ADA)).isEqualTo("Ada");

    assertThat(stats().getPrepareStatementCount()).isEqualTo(statements);
    assertCounts(authorStats(), 1, 1, 1);
  }

  @Test
  void updatingACachedEntityPutsItsNewStateInTheCache() {
    authorName(ADA);

    app.inTransaction(session -> {
      session.find(Author.class, ADA).setName("Ada Lovelace");
    });
    stats().clear();

    assertThat(authorName(ADA)).isEqualTo("Ada Lovelace");
    assertThat(stats().getPrepareStatementCount()).isZero();
    assertCounts(authorStats(), 1, 0, 0);
  }

  @Test
  void aCachedCollectionIsServedFromTheCacheAndReloadedAfterItChanges() {
    assertThat(titles(ADA)).containsExactly("Emma", "Persuasion");
    assertThat(titles(ADA)).containsExactly("Emma", "Persuasion");
    assertCounts(stats().getCollectionStatistics(Author.BOOKS), 1, 1, 1);

    app.inTransaction(session -> {
      session.find(Author.class, ADA).add(new Book(12, "Sanditon", Genre.NOVEL, LocalDate.of(1817, 3, 18), BigDecimal.ONE));
    });
    stats().clear();

    assertThat(titles(ADA)).containsExactly("Emma", "Persuasion", "Sanditon");
    long statements = stats().getPrepareStatementCount();
    assertThat(titles(ADA)).containsExactly("Emma", "Persuasion", "Sanditon");

    assertThat(stats().getPrepareStatementCount()).isEqualTo(statements);
    assertCounts(stats().getCollectionStatistics(Author.BOOKS), 1, 1, 1);
  }

  @Test
  void aCacheableQueryIsAnsweredFromTheQueryCacheUntilItsTableChanges() {
    assertThat(novels()).containsExactly("Emma", "Persuasion");
    long statements = stats().getPrepareStatementCount();
    assertThat(novels()).containsExactly("Emma", "Persuasion");
    assertThat(stats().getPrepareStatementCount()).isEqualTo(statements);
    assertThat(stats().getQueryCacheHitCount()).isEqualTo(1);

    app.inTransaction(session -> {
      session.find(Book.class, 11L).setTitle("Persuasion (2nd ed.)");
    });
    stats().clear();

    assertThat(novels()).containsExactly("Emma", "Persuasion (2nd ed.)");
    assertThat(novels()).containsExactly("Emma", "Persuasion (2nd ed.)");
    assertThat(stats().getQueryCacheMissCount()).isEqualTo(1);
    assertThat(stats().getQueryCachePutCount()).isEqualTo(1);
    assertThat(stats().getQueryCacheHitCount()).isEqualTo(1);
  }

  @Test
  void aDeletedEntityIsNeverServedFromTheCache() {
    assertThat(bookTitle(11L)).isEqualTo("Persuasion");

    app.inTransaction(session -> {
      Author ada = session.find(Author.class, ADA);
      ada.getBooks().removeIf(book -> book.getId() == 11L);
    });
    stats().clear();

    assertThat(bookTitle(11L)).isNull();
    assertThat(titles(ADA)).containsExactly("Emma");
    assertThat(novels()).containsExactly("Emma");
    assertThat(stats().getEntityStatistics(Book.class.getName()).getCacheHitCount()).isZero();
  }

  @Test
  void evictedRegionsAreFilledAgainAndStayUsable() {
    authorName(ADA);
    titles(ADA);
    novels();

    app.sessionFactory().getCache().evictEntityData(Author.class);
    app.sessionFactory().getCache().evictCollectionData(Author.BOOKS);
    app.sessionFactory().getCache().evictQueryRegions();
    stats().clear();
    app.inTransaction(session -> {
      session.find(Author.class, ADA).setName("Ada King");
    });

    assertThat(authorName(ADA)).isEqualTo("Ada King");
    assertThat(titles(ADA)).containsExactly("Emma", "Persuasion");
    assertThat(titles(ADA)).containsExactly("Emma", "Persuasion");
    assertThat(novels()).containsExactly("Emma", "Persuasion");
    assertThat(novels()).containsExactly("Emma", "Persuasion");
    // One miss (the update's load); then the name and both collection reads hit.
    assertThat(authorStats().getCacheMissCount()).isEqualTo(1);
    assertThat(authorStats().getCacheHitCount()).isEqualTo(3);
    assertCounts(stats().getCollectionStatistics(Author.BOOKS), 1, 1, 1);
    assertThat(stats().getQueryCacheHitCount()).isEqualTo(1);
  }

  protected Statistics stats() {
    return app.statistics();
  }

  protected CacheableDataStatistics authorStats() {
    return stats().getEntityStatistics(Author.class.getName());
  }

  protected String authorName(long id) {
    return app.fromTransaction(session -> session.find(Author.class, id).getName());
  }

  protected String bookTitle(long id) {
    return app.fromTransaction(session -> {
      Book book = session.find(Book.class, id);
      return book == null ? null : book.getTitle();
    });
  }

  protected List<String> titles(long authorId) {
    return titles(app, authorId);
  }

  /** The titles of an author's books (the cached collection), on one instance. */
  protected static List<String> titles(HibernateApp instance, long authorId) {
    return instance.fromTransaction(session -> session.find(Author.class, authorId).getBooks().stream()
        .map(Book::getTitle).toList());
  }

  protected List<String> novels() {
    return novels(app);
  }

  /** The cacheable query of every test, on one instance. */
  protected static List<String> novels(HibernateApp instance) {
    return instance.fromTransaction(session -> session
        .createSelectionQuery("from Book b where b.genre = :genre order by b.id", Book.class)
        .setParameter("genre", Genre.NOVEL)
        .setCacheable(true)
        .getResultList().stream().map(Book::getTitle).toList());
  }

  protected static void assertCounts(CacheableDataStatistics statistics, long hits, long misses, long puts) {
    assertThat(statistics.getCacheHitCount()).as("hits").isEqualTo(hits);
    assertThat(statistics.getCacheMissCount()).as("misses").isEqualTo(misses);
    assertThat(statistics.getCachePutCount()).as("puts").isEqualTo(puts);
  }
}
