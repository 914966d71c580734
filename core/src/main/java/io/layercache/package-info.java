/**
 * The public API of LayerCache: the {@link io.layercache.LayerCache} extension interface reached
 * through {@code Cache.unwrap(LayerCache.class)}, its configuration
 * ({@link io.layercache.LayerCacheConfiguration}) and per-entry options.
 */
@NullMarked
package io.layercache;

import org.jspecify.annotations.NullMarked;
