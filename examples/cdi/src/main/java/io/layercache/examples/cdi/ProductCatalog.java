package io.layercache.examples.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * The cached service: plain JSR-107 annotations, nothing LayerCache-specific. The cache
 * ({@code products}) is declared in the HOCON file, and the key of every method is the product id.
 */
@ApplicationScoped
@CacheDefaults(cacheName = "products")
public class ProductCatalog {

  @Inject
  ProductDatabase database;

  /** Read once, then served from the cache. */
  @CacheResult
  public Product find(String id) {
    return database.read(id);
  }

  /** Writes the product and puts it in the cache under its id, after the write succeeded. */
  @CachePut
  public void save(@CacheKey String id, @CacheValue Product product) {
    database.write(product);
  }

  /** Deletes the product and its cache entry. */
  @CacheRemove
  public void delete(String id) {
    database.delete(id);
  }

  /** Empties the cache, e.g. after a bulk import. */
  @CacheRemoveAll
  public void forgetAll() {
    // nothing else to do: the interceptor empties the cache after this returns
  }
}
