package io.layercache.layer.memory;

import com.github.benmanes.caffeine.cache.Weigher;
import com.typesafe.config.Config;
import io.layercache.config.Settings;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFactory;
import io.layercache.layer.LayerSpec;

/** Builds {@link MemoryLayer}s; registered through {@link java.util.ServiceLoader} like every layer. */
public final class MemoryLayerFactory implements LayerFactory {

  @Override
  public String type() {
    return MemoryLayerSpec.TYPE;
  }

  @Override
  public LayerSpec parse(Config settings, String path, ClassLoader classLoader) {
    Settings s = new Settings(settings, path);
    Long maximumWeight = s.optionalLong("maximum-weight");
    Long configuredSize = s.optionalLong("maximum-size");
    boolean unbounded = s.getBoolean("unbounded");
    if (unbounded && (configuredSize != null || maximumWeight != null)) {
      throw new IllegalArgumentException(s.pathOf("unbounded") + " = true excludes memory.maximum-size and"
          + " memory.maximum-weight");
    }
    Long maximumSize = unbounded ? Long.valueOf(MemoryLayerSpec.UNBOUNDED)
        : configuredSize == null && maximumWeight == null ? MemoryLayerSpec.DEFAULT_MAXIMUM_SIZE : configuredSize;
    Weigher<Object, Object> weigher = s.optionalInstance("weigher", Weigher.class, classLoader);
    java.time.Duration ttl = s.optionalDuration("ttl");
    return s.validated(() -> new MemoryLayerSpec(maximumSize, maximumWeight, weigher, ttl));
  }

  @Override
  public <K, V> Layer<K, V> create(LayerSpec spec, LayerContext<K, V> context) {
    return new MemoryLayer<>((MemoryLayerSpec) spec, context, context.expiringEntries());
  }
}
