package io.layercache.examples.springboot;

/**
 * A catalogue entry. Serializable because JCache caches store by value (copies) unless configured
 * with {@code store-by-value = false}; the Redis codec writes it by name (its package is on the
 * codec allow-list in application-redis.properties), never with Java serialization.
 *
 * @param id    the catalogue id
 * @param isbn  the ISBN
 * @param title the title
 */
public record Book(long id, String isbn, String title) implements java.io.Serializable {}
