package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.CacheFixture;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class BadInputTest extends CacheFixture {

  @Test
  void closedCacheFailsWithIllegalStateBeforeCheckingArguments() {
    Cache<String, String> cache = stringCache("closed");
    cache.close();
    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> cache.put(null, null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> layered(cache).get("k", null)).isInstanceOf(IllegalStateException.class);
  }

  /** A closed cache fails even for a key its memory layer held; a typed cache refuses a foreign key on a read. */
  @Test
  void aClosedMemoryOnlyCacheFailsForAKeyItHeldAndATypedOneRefusesForeignKeys() {
    Cache<String, String> cache = stringCache("held-then-closed");
    cache.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v");
    cache.close();
    assertThatThrownBy(() -> cache.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> layered(cache).get("k", key -> "loaded")).isInstanceOf(IllegalStateException.class);

    @SuppressWarnings({"unchecked", "rawtypes"})
    Cache<Object, Object> raw = (Cache) stringCache("typed");
    raw.put("k", "v");
    assertThatThrownBy(() -> raw.get(42)).isInstanceOf(ClassCastException.class).hasMessageContaining("Integer");
  }

  @Test
  void nullKeysValuesAndLoadersAreRefusedAndNothingIsStored() {
    Cache<String, String> cache = stringCache("nulls");
    Map<String, String> withNullValue = new HashMap<>();
    withNullValue.put("a", "1");
    withNullValue.put("b", null);

    assertThatThrownBy(() -> cache.putAll(withNullValue)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> layered(cache).get("k", null)).isInstanceOf(NullPointerException.class);
    assertThat(cache.containsKey("a")).isFalse();
    assertThat(cache.iterator().hasNext()).isFalse();
  }

  @Test
  void wrongRuntimeTypesInATypedCacheAreClassCastExceptions() {
    Cache<String, String> cache = stringCache("typed");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Cache<Object, Object> raw = (Cache) cache;
    assertThatThrownBy(() -> raw.put(1, "v")).isInstanceOf(ClassCastException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Integer");
    assertThatThrownBy(() -> raw.put("k", 2)).isInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> manager.getCache("typed", Integer.class, String.class))
        .isInstanceOf(ClassCastException.class);
  }

  @Test
  void theConfigurationOfACacheIsFrozen() {
    Cache<String, String> cache = stringCache("frozen");
    @SuppressWarnings("unchecked")
    LayerCacheConfiguration<String, String> config = cache.getConfiguration(LayerCacheConfiguration.class);
    assertThat(config.isFrozen()).isTrue();
    assertThatThrownBy(() -> config.setStoreByValue(false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("frozen");
    assertThat(cache.getConfiguration(CompleteConfiguration.class).isStoreByValue()).isTrue();
  }

  @Test
  void plainMutableConfigurationGetsTheDefaultMemoryLayer() {
    Cache<String, String> cache = manager.createCache("plain", new MutableConfiguration<String, String>());
    cache.put("k", "v");
    LayerCache<String, String> layered = layered(cache);
    assertThat(layered.layerStatistics()).extracting(s -> s.layer()).containsExactly("memory");
  }

  @Test
  void unwrapToAnUnrelatedTypeIsRefusedWithTheSupportedTypes() {
    Cache<String, String> cache = stringCache("unwrap");
    assertThatThrownBy(() -> cache.unwrap(Set.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(LayerCache.class.getName());
  }

  @Test
  void aMissingIntegrationLayerNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> io.layercache.layer.LayerFactories.find("redis", getClass().getClassLoader()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.layercache:layercache-redis");
  }
}
