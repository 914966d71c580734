package io.layercache.examples.hibernate;

/**
 * Hibernate's own counters for one instance, since it started: what reached the database and what
 * the second-level cache answered. A read served by the cache adds a hit and no statement.
 *
 * @param statements JDBC statements prepared (every query that reached the database)
 * @param hits second-level cache hits (entities and collections)
 * @param misses second-level cache misses
 * @param puts entries Hibernate put into the second-level cache
 * @param queryHits query cache hits
 */
public record CacheCounters(long statements, long hits, long misses, long puts, long queryHits) {

  /** The counts since {@code earlier}. */
  public CacheCounters since(CacheCounters earlier) {
    return new CacheCounters(statements - earlier.statements, hits - earlier.hits, misses - earlier.misses,
        puts - earlier.puts, queryHits - earlier.queryHits);
  }

  @Override
  public String toString() {
    return "SQL statements " + statements + ", cache hits " + hits + ", misses " + misses + ", puts " + puts
        + ", query cache hits " + queryHits;
  }
}
