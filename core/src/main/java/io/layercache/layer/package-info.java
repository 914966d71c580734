/**
 * The layer service-provider interface: {@link io.layercache.layer.Layer} (one storage level),
 * {@link io.layercache.layer.LayerSpec} (its definition) and {@link io.layercache.layer.LayerFactory}
 * (found through {@link java.util.ServiceLoader}).
 */
@NullMarked
package io.layercache.layer;

import org.jspecify.annotations.NullMarked;
