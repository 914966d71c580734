package io.layercache.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.integration.model.Author;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hibernate's second-level cache on memory over a real Redis, with {@code org.hibernate.} and
 * the model package allow-listed as a user would: the entries go through the L2 codec, and a
 * second instance with an empty memory layer reads them back from Redis.
 */
@ExtendWith(RedisServerExtension.class)
class MemoryRedisStackHibernateIT extends SecondLevelCacheContract {

  private final RedisServer redis;
  /** Each test's instances share a namespace no other test uses: its database is new too. */
  private final String namespace = "it-" + UUID.randomUUID();

  MemoryRedisStackHibernateIT(RedisServer redis) {
    this.redis = redis;
  }

  @Override
  protected URI layerCacheFile(Path directory, String name) {
    return LayerCacheFiles.memoryAndRedis(directory, name, redis, namespace);
  }

  @Override
  protected List<String> expectedLayers() {
    return List.of("memory", "redis");
  }

  @Test
  void anotherInstanceReadsEntitiesCollectionsAndQueriesFromRedis() {
    authorName(1L);
    titles(1L);
    novels();
    assertThat((List<?>) redis.command("KEYS", namespace + ":*")).isNotEmpty();

    try (HibernateApp other = HibernateApp.start(database, layerCacheFile(directory, "instance-b"))) {
      Statistics otherStats = other.statistics();

      assertThat(titles(other, 1L)).containsExactly("Emma", "Persuasion");
      assertThat(novels(other)).containsExactly("Emma", "Persuasion");

      assertThat(otherStats.getPrepareStatementCount()).isZero();
      assertThat(otherStats.getEntityStatistics(Author.class.getName()).getCacheHitCount()).isEqualTo(1);
      assertThat(otherStats.getCollectionStatistics(Author.BOOKS).getCacheHitCount()).isEqualTo(1);
      assertThat(otherStats.getQueryCacheHitCount()).isEqualTo(1);
    }
  }

  @Test
  void theNarrowAllowListOfTheDocsCoversEntitiesCollectionsAndQueries() {
    String shared = namespace + "-narrow";
    URI first = LayerCacheFiles.memoryAndRedis(directory, "narrow-a", redis, shared,
        LayerCacheFiles.NARROW_HIBERNATE_ALLOW_LIST);
    URI second = LayerCacheFiles.memoryAndRedis(directory, "narrow-b", redis, shared,
        LayerCacheFiles.NARROW_HIBERNATE_ALLOW_LIST);
    try (HibernateApp writer = HibernateApp.start(database, first);
         HibernateApp reader = HibernateApp.start(database, second)) {
      writer.inTransaction(session -> {
        session.find(Author.class, 1L).setName("Ada Lovelace");
      });
      titles(writer, 1L);
      novels(writer);

      String name = reader.fromTransaction(session -> session.find(Author.class, 1L).getName());

      assertThat(name).isEqualTo("Ada Lovelace");
      assertThat(titles(reader, 1L)).containsExactly("Emma", "Persuasion");
      assertThat(novels(reader)).containsExactly("Emma", "Persuasion");
      assertThat(reader.statistics().getPrepareStatementCount()).isZero();
      assertThat(reader.statistics().getQueryCacheHitCount()).isEqualTo(1);
    }
  }
}
