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
  public LayerSpec parse(Config settings, String path) {
    Settings s = new Settings(settings, path);
    Long maximumWeight = s.optionalLong("maximum-weight");
    Long maximumSize = maximumWeight != null ? null : s.optionalLong("maximum-size");
    Weigher<Object, Object> weigher = s.optionalInstance("weigher", Weigher.class);
    return s.validated(() -> new MemoryLayerSpec(maximumSize, maximumWeight, weigher, s.optionalDuration("ttl")));
  }

  @Override
  public <K, V> Layer<K, V> create(LayerSpec spec, LayerContext<K, V> context) {
    return new MemoryLayer<>((MemoryLayerSpec) spec, context, context.expiringEntries());
  }
}
