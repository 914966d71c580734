package io.layercache.testing;

import com.typesafe.config.Config;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFactories;
import io.layercache.layer.LayerFactory;
import io.layercache.layer.LayerSpec;

/**
 * Builds {@link ChaosLayer}s around the layer of a {@link ChaosLayerSpec}'s inner definition;
 * found through {@link java.util.ServiceLoader} as type {@value ChaosLayerSpec#TYPE}.
 */
public final class ChaosLayerFactory implements LayerFactory {

  @Override
  public String type() {
    return ChaosLayerSpec.TYPE;
  }

  /** Chaos layers hold a switch object the test flips, so they cannot come from a file. */
  @Override
  public LayerSpec parse(Config settings, String path, ClassLoader classLoader) {
    throw new IllegalArgumentException(path + ": chaos layers are built in code with ChaosLayerSpec.wrap(spec, chaos)");
  }

  @Override
  public <K, V> Layer<K, V> create(LayerSpec spec, LayerContext<K, V> context) {
    ChaosLayerSpec chaosSpec = (ChaosLayerSpec) spec;
    Layer<K, V> inner = LayerFactories.find(chaosSpec.inner().type(), context.classLoader())
        .create(chaosSpec.inner(), context);
    return new ChaosLayer<>(inner, chaosSpec.chaos(), context.cacheName());
  }
}
