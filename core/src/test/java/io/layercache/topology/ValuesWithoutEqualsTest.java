package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.RefreshSettings;
import io.layercache.codec.CodecSettings;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.io.Serializable;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Entries were matched by their value's {@code equals}: for a value class without one, the copy
 * decoded from the remote layer never matched the memory copy, so stale-while-revalidate on
 * memory + remote never applied its refresh.
 */
class ValuesWithoutEqualsTest extends TopologyFixture {

  /** A value class with Object's identity equals, as many application classes are. */
  static final class Box implements Serializable {
    private static final long serialVersionUID = 1L;
    final String content;

    Box(String content) {
      this.content = content;
    }
  }

  @Test
  void staleWhileRevalidateRefreshesAValueWithoutEqualsOnMemoryAndRemote() {
    LayerCache<String, Box> cache = instances.newCache("boxes",
        new io.layercache.LayerCacheConfiguration<String, Box>().setTypes(String.class, Box.class)
            .setTimeSource(time).setStoreByValue(false)
            .setLayers(MemoryLayerSpec.defaults(), remote.spec().withCodec(CodecSettings.defaults()
                .withAllowedClassPrefixes("io.layercache.topology.")))
            .setRefresh(RefreshSettings.staleWhileRevalidate(Duration.ofMinutes(1))));
    cache.set("k", new Box("old"), EntryOptions.defaults().withTtl(SHORT_TTL));
    time.advance(SHORT_TTL.plusSeconds(1));

    assertThat(cache.get("k", key -> new Box("new")).content).isEqualTo("old");

    await().atMost(Duration.ofSeconds(10))
        .until(() -> "new".equals(cache.get("k", key -> new Box("newer")).content));
    assertThat(cache.loadStatistics().refreshesStarted()).isGreaterThanOrEqualTo(1);
  }
}
