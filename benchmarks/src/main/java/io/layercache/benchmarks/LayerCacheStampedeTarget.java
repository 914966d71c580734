package io.layercache.benchmarks;

import io.layercache.LayerCache;
import io.layercache.Loader;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;

/**
 * LayerCache under the stampede test: {@link LayerCache#get(Object, Loader)} with the counting
 * loader, {@link LayerCache#invalidate(Object)} to simulate expiry. Load-once is required.
 */
final class LayerCacheStampedeTarget implements StampedeTarget {
  private final Cache<String, String> cache;
  private final LayerCache<String, String> layerCache;
  private final Loader<String, String> loader = StampedeBenchmark::load;

  @SuppressWarnings("unchecked")
  LayerCacheStampedeTarget() {
    cache =
        Impls.createCache(
            Impls.LAYERCACHE,
            "stampede-layercache",
            new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setStoreByValue(false));
    layerCache = cache.unwrap(LayerCache.class);
  }

  @Override
  public void invalidate(String key) {
    layerCache.invalidate(key);
  }

  @Override
  public String get(String key) throws Exception {
    return layerCache.get(key, loader);
  }

  @Override
  public void close() {
    Impls.closeQuietly(cache);
  }
}
