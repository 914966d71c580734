package io.layercache.layer.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.ManualTime;
import io.layercache.layer.LayerContext;
import io.layercache.layer.SharedResources;
import io.layercache.layer.StoredEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A memory layer allowed to keep eternal, untagged values bare holds exactly those as themselves,
 * and hands every other method an entry, so only the one-layer hit path sees the difference.
 */
class MemoryLayerBareValuesTest {

  private final ManualTime time = new ManualTime();
  private final List<StoredEntry<Object>> evicted = new CopyOnWriteArrayList<>();

  private MemoryLayer<String, Object> layer(boolean bare, MemoryLayerSpec spec) {
    LayerContext<String, Object> context = new LayerContext<>("bare", getClass().getClassLoader(), time,
        (layer, key, entry, expired) -> evicted.add(entry), true, new SharedResources(), Object.class, 0, 0, bare);
    return new MemoryLayer<>(spec, context, true);
  }

  /** An expiry a minute ahead of the clock, so Caffeine keeps the entry. */
  private long later() {
    return time.currentTimeMillis() + 60_000;
  }

  private static StoredEntry<Object> eternal(Object value) {
    return StoredEntry.of(value, StoredEntry.ETERNAL, 42L, Set.of());
  }

  @Test
  void anEternalUntaggedValueIsHeldAsItselfAndReadBackWithoutItsStamp() {
    MemoryLayer<String, Object> layer = layer(true, MemoryLayerSpec.defaults());
    String value = "v";
    layer.put("k", eternal(value));

    assertThat(layer.held("k")).isSameAs(value);
    assertThat(MemoryLayer.isBare(layer.held("k"))).isTrue();
    StoredEntry<Object> entry = layer.get("k");
    assertThat(entry.value()).isSameAs(value);
    assertThat(entry.expireAt()).isEqualTo(StoredEntry.ETERNAL);
    assertThat(entry.writtenAt()).isEqualTo(StoredEntry.UNSTAMPED);
    assertThat(entry.tags()).isEmpty();
    assertThat(entry.isNotFound()).isFalse();
  }

  @Test
  void expiringTaggedAndNotFoundEntriesStayWrapped() {
    MemoryLayer<String, Object> layer = layer(true, MemoryLayerSpec.defaults());
    StoredEntry<Object> expiring = StoredEntry.of("e", later(), 7L, Set.of());
    StoredEntry<Object> tagged = StoredEntry.of("t", StoredEntry.ETERNAL, 8L, Set.of("tag"));
    StoredEntry<Object> notFound = StoredEntry.notFound(StoredEntry.ETERNAL, 9L);
    layer.put("expiring", expiring);
    layer.put("tagged", tagged);
    layer.put("not-found", notFound);

    assertThat(layer.held("expiring")).isSameAs(expiring);
    assertThat(layer.held("tagged")).isSameAs(tagged);
    assertThat(layer.held("not-found")).isSameAs(notFound);
    assertThat(layer.get("tagged").writtenAt()).isEqualTo(8L);
  }

  @Test
  void aValueThatIsItselfAStoredEntryIsNeverMistakenForAWrapper() {
    MemoryLayer<String, Object> layer = layer(true, MemoryLayerSpec.defaults());
    StoredEntry<Object> inner = StoredEntry.of("inner", StoredEntry.ETERNAL, 1L, Set.of());
    StoredEntry<Object> outer = eternal(inner);
    layer.put("k", outer);

    assertThat(layer.held("k")).isSameAs(outer);
    assertThat(MemoryLayer.isBare(layer.held("k"))).isFalse();
    assertThat(layer.get("k").value()).isSameAs(inner);
  }

  @Test
  void withoutPermissionEveryEntryStaysWrapped() {
    MemoryLayer<String, Object> layer = layer(false, MemoryLayerSpec.defaults());
    StoredEntry<Object> entry = eternal("v");
    layer.put("k", entry);

    assertThat(layer.held("k")).isSameAs(entry);
    assertThat(layer.get("k").writtenAt()).isEqualTo(42L);
  }

  @Test
  void computeRemoveAndCompareSeeEntriesAndStoreWhatTheyReturn() {
    MemoryLayer<String, Object> layer = layer(true, MemoryLayerSpec.defaults());
    layer.put("k", eternal("v"));

    StoredEntry<Object> after = layer.compute("k", (key, current) -> {
      assertThat(current.value()).isEqualTo("v");
      return current.withExpireAt(later());
    });
    assertThat(after.expireAt()).isEqualTo(later());
    assertThat(MemoryLayer.isBare(layer.held("k"))).isFalse();

    layer.compute("k", (key, current) -> eternal("w"));
    assertThat(layer.held("k")).isEqualTo("w");
    assertThat(layer.remove("k", StoredEntry.of("other", StoredEntry.ETERNAL, StoredEntry.UNSTAMPED, Set.of())))
        .isFalse();
    assertThat(layer.remove("k", layer.get("k"))).isTrue();
    assertThat(layer.held("k")).isNull();

    layer.put("k", eternal("x"));
    assertThat(layer.remove("k").value()).isEqualTo("x");
    assertThat(layer.get("k")).isNull();
  }

  @Test
  void theWeigherSeesBareValuesAndEvictionsReportEntries() {
    MemoryLayerSpec spec = MemoryLayerSpec.ofMaximumWeight(10, (key, value) -> ((String) value).length());
    MemoryLayer<String, Object> layer = layer(true, spec);
    layer.put("a", eternal("123456"));
    layer.put("b", eternal("7890123"));

    await().atMost(Duration.ofSeconds(10)).until(() -> evicted.size() == 1);
    assertThat(layer.estimatedSize()).isEqualTo(1);
    assertThat(evicted).singleElement().satisfies(entry -> {
      assertThat(entry.value()).isIn("123456", "7890123");
      assertThat(entry.writtenAt()).isEqualTo(StoredEntry.UNSTAMPED);
    });
  }
}
