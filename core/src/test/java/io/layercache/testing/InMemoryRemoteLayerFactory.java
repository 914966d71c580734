package io.layercache.testing;

import com.typesafe.config.Config;
import io.layercache.codec.CodecSettings;
import io.layercache.config.Settings;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFactory;
import io.layercache.layer.LayerSpec;
import java.time.Duration;

/**
 * Builds {@link InMemoryRemoteLayer}s; found through {@link java.util.ServiceLoader} as type
 * {@value InMemoryRemoteLayerSpec#TYPE} (registered in the test resources).
 */
public final class InMemoryRemoteLayerFactory implements LayerFactory {

  @Override
  public String type() {
    return InMemoryRemoteLayerSpec.TYPE;
  }

  /** Reads {@code namespace} (default "default"), {@code ttl}, {@code expired-entry-grace}, {@code load-leases},
   * {@code found-nothing-mark}; absent settings take the defaults of {@link InMemoryRemoteLayerSpec#of}. */
  @Override
  public LayerSpec parse(Config settings, String path, ClassLoader classLoader) {
    Settings s = new Settings(settings, path);
    String namespace = s.has("namespace") ? s.getString("namespace") : "default";
    Duration ttl = s.optionalDuration("ttl");
    Duration grace = s.optionalDuration("expired-entry-grace");
    boolean leases = !s.has("load-leases") || s.getBoolean("load-leases");
    Duration mark = s.optionalDuration("found-nothing-mark");
    return s.validated(() -> new InMemoryRemoteLayerSpec(namespace, ttl, grace == null ? Duration.ofSeconds(5) : grace,
        leases, mark == null ? InMemoryRemoteLayerSpec.DEFAULT_FOUND_NOTHING_MARK : mark, CodecSettings.defaults()));
  }

  @Override
  public <K, V> Layer<K, V> create(LayerSpec spec, LayerContext<K, V> context) {
    InMemoryRemoteLayerSpec remoteSpec = (InMemoryRemoteLayerSpec) spec;
    InMemoryRemote remote = InMemoryRemote.named(remoteSpec.namespace());
    InMemoryRemoteLayer<K, V> layer = new InMemoryRemoteLayer<>(remoteSpec, context, remote.store(context.cacheName()));
    remote.register(context.cacheName(), layer);
    return layer;
  }
}
