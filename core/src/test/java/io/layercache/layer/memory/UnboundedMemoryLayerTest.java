package io.layercache.layer.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.CacheFixture;
import io.layercache.LayerCacheConfiguration;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

/** An unbounded memory layer keeps every entry: nothing is evicted for size. */
class UnboundedMemoryLayerTest extends CacheFixture {

  @Test
  void anUnboundedLayerKeepsEntriesBeyondTheDefaultBound() {
    Cache<Integer, String> cache = manager.createCache("unbounded", new LayerCacheConfiguration<Integer, String>()
        .setTypes(Integer.class, String.class).setLayers(MemoryLayerSpec.unbounded()));
    int entries = (int) MemoryLayerSpec.DEFAULT_MAXIMUM_SIZE * 3;
    for (int i = 0; i < entries; i++) {
      cache.put(i, "v" + i);
    }
    for (int i = 0; i < entries; i++) {
      assertThat(cache.get(i)).isEqualTo("v" + i);
    }
    assertThat(layered(cache).layerStatistics().get(0).evictions()).isZero();
    assertThat(MemoryLayerSpec.unbounded().isUnbounded()).isTrue();
    assertThat(MemoryLayerSpec.defaults().isUnbounded()).isFalse();
  }
}
