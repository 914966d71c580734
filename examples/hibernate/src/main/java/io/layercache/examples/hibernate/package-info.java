/**
 * Hibernate ORM's second-level cache on LayerCache: a small catalog whose entities, collection
 * and query results are cached on memory over Redis through {@code hibernate-jcache}, and whose
 * instances keep their memory layers coherent through the Redis invalidation bus.
 */
package io.layercache.examples.hibernate;
