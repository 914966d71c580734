package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.CacheFixture;
import io.layercache.LayerCacheConfiguration;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

class StoreByValueTest extends CacheFixture {

  /** A mutable value with no no-argument constructor. */
  static final class Order implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> lines = new ArrayList<>();
    String status;

    Order(String status) {
      this.status = status;
    }
  }

  /** A value the cache cannot copy. */
  static final class Socketish {
    int fd = 3;
  }

  @Test
  void mutatingAPutOrReturnedValueNeverChangesTheCache() {
    Cache<String, Order> cache = manager.createCache("by-value",
        new LayerCacheConfiguration<String, Order>().setTypes(String.class, Order.class));
    Order order = new Order("new");
    order.lines.add("book");
    cache.put("o1", order);

    order.status = "mutated after put";
    Order read = cache.get("o1");
    read.lines.add("mutated after get");

    Order again = cache.get("o1");
    assertThat(again.status).isEqualTo("new");
    assertThat(again.lines).containsExactly("book");
    assertThat(again).isNotSameAs(read);
  }

  /** A mutable key. */
  static final class MutableKey implements Serializable {
    private static final long serialVersionUID = 1L;
    String id;

    MutableKey(String id) {
      this.id = id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MutableKey other && other.id.equals(id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }
  }

  /**
   * After the core moved, putAll and the conditional writes handed the caller's key object to the
   * layers: mutating it afterwards lost the entry.
   */
  @Test
  void everyWriteFormStoresACopyOfTheKey() {
    Cache<MutableKey, String> cache = manager.createCache("write-keys", new LayerCacheConfiguration<MutableKey, String>());
    MutableKey bulk = new MutableKey("bulk");
    cache.putAll(java.util.Map.of(bulk, "v"));
    bulk.id = "changed";
    assertThat(cache.get(new MutableKey("bulk"))).isEqualTo("v");

    cache.put(new MutableKey("r"), "old");
    MutableKey replaced = new MutableKey("r");
    cache.replace(replaced, "new");
    replaced.id = "changed";
    assertThat(cache.get(new MutableKey("r"))).isEqualTo("new");
  }

  @Test
  void anEntryProcessorStoresACopyOfTheKey() {
    Cache<MutableKey, String> cache = manager.createCache("processor-key", new LayerCacheConfiguration<MutableKey, String>());
    MutableKey key = new MutableKey("a");
    cache.invoke(key, (entry, args) -> {
      entry.setValue("v");
      return null;
    });
    key.id = "changed";
    assertThat(cache.get(new MutableKey("a"))).isEqualTo("v");
  }

  @Test
  void listenersReceiveCopiesInAStoreByValueCache() {
    Cache<String, Order> cache = manager.createCache("listener-copies", new LayerCacheConfiguration<String, Order>());
    cache.registerCacheEntryListener(new javax.cache.configuration.MutableCacheEntryListenerConfiguration<>(
        () -> (javax.cache.event.CacheEntryCreatedListener<String, Order>) events ->
            events.forEach(e -> e.getValue().status = "changed by listener"), null, false, true));
    cache.put("o", new Order("new"));
    assertThat(cache.get("o").status).isEqualTo("new");
  }

  @Test
  void immutableValuesAreNotCopied() {
    Cache<String, String> cache = manager.createCache("strings", new LayerCacheConfiguration<String, String>());
    String value = new String("immutable");
    cache.put("k", value);
    assertThat(cache.get("k")).isSameAs(value);
  }

  @Test
  void storeByReferenceReturnsTheSameInstance() {
    Cache<String, Order> cache = manager.createCache("by-reference",
        new LayerCacheConfiguration<String, Order>().setStoreByValue(false));
    Order order = new Order("new");
    cache.put("o1", order);
    assertThat(cache.get("o1")).isSameAs(order);
  }

  @Test
  void nonSerializableValueIsRefusedWithItsTypeAndNothingIsStored() {
    Cache<String, Object> cache = manager.createCache("refuse", new LayerCacheConfiguration<String, Object>());
    assertThatThrownBy(() -> cache.put("k", new Socketish()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Socketish.class.getName())
        .hasMessageContaining("not Serializable");
    assertThat(cache.containsKey("k")).isFalse();
  }

  @Test
  void jdkTypesWithHiddenFieldsAreStoredWithoutJavaSerialization() {
    Cache<String, Object> cache = manager.createCache("jdk", new LayerCacheConfiguration<String, Object>());
    java.awt.Color color = new java.awt.Color(10, 20, 30);
    cache.put("c", color);
    assertThat(cache.get("c")).isEqualTo(color);
    java.util.Date date = new java.util.Date(42);
    cache.put("d", date);
    assertThat(cache.get("d")).isEqualTo(date).isNotSameAs(date);
  }
}
