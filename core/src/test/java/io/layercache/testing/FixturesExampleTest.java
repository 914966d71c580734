package io.layercache.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.DegradationMode;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.ManualTime;
import io.layercache.ResilienceSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example of the package documentation works as written. */
class FixturesExampleTest {

  @Test
  void twoInstancesShareTheRemoteAndGracefulModeLoadsWhileItFails() {
    ManualTime time = new ManualTime();
    InMemoryRemote remote = InMemoryRemote.create();
    Chaos chaos = Chaos.create();
    try (CacheInstances instances = new CacheInstances()) {
      var config = new LayerCacheConfiguration<String, String>()
          .setTypes(String.class, String.class)
          .setTimeSource(time)
          .setResilience(new ResilienceSettings(DegradationMode.GRACEFUL, 2, Duration.ofMillis(100)))
          .setLayers(MemoryLayerSpec.defaults(), remote.spec().withChaos(chaos));
      LayerCache<String, String> a = instances.newCache("users", config);
      LayerCache<String, String> b = instances.newCache("users", config);
      a.asJCache().put("k", "v");
      assertThat(b.asJCache().get("k")).isEqualTo("v");
      chaos.alwaysFail();
      assertThat(b.get("cold", key -> "loaded")).isEqualTo("loaded");
      assertThat(remote.layer("users", 1).calls(RemoteOperation.GET)).isEqualTo(1);
    } finally {
      chaos.off();
      remote.forget();
    }
  }
}
