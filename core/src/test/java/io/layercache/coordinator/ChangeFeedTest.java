package io.layercache.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.CacheFixture;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import io.layercache.jcache.CacheProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The post-commit change feed: exactly one record per committed change, whichever operation made
 * it, and none for operations that changed nothing.
 */
class ChangeFeedTest extends CacheFixture {

  private Cache<String, String> cache;
  private final List<Change<String, String>> changes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void subscribe() {
    cache = manager.createCache("feed", new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setTimeSource(time)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(
            java.util.concurrent.TimeUnit.SECONDS, 10)))
        .setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofSeconds(5))));
    core().changes().subscribe(changes::addAll);
  }

  private CacheCore<String, String> core() {
    return ((CacheProxy<String, String>) cache).core();
  }

  private List<Change.Type> types() {
    return changes.stream().map(Change::type).toList();
  }

  @Test
  void everyPutFormRecordsOneCreatedOrUpdated() {
    cache.put("a", "1");
    cache.put("a", "2");
    cache.getAndPut("a", "3");
    cache.putIfAbsent("b", "1");
    cache.putIfAbsent("b", "ignored");
    cache.replace("b", "2");
    cache.replace("b", "2", "3");
    cache.replace("b", "wrong", "4");
    cache.getAndReplace("b", "5");
    cache.putAll(Map.of("c", "1", "d", "1"));
    assertThat(types()).containsExactly(Change.Type.CREATED, Change.Type.UPDATED, Change.Type.UPDATED,
        Change.Type.CREATED, Change.Type.UPDATED, Change.Type.UPDATED, Change.Type.UPDATED,
        Change.Type.CREATED, Change.Type.CREATED);
    assertThat(changes.get(1).oldValue()).isEqualTo("1");
    assertThat(changes.get(1).newValue()).isEqualTo("2");
  }

  @Test
  void everyRemoveFormRecordsOneRemovedAndNothingWhenAbsent() {
    cache.putAll(Map.of("a", "1", "b", "1", "c", "1", "d", "1", "e", "1", "f", "1"));
    changes.clear();
    cache.remove("a");
    cache.remove("a");
    cache.remove("b", "wrong");
    cache.remove("b", "1");
    cache.getAndRemove("c");
    cache.getAndRemove("c");
    cache.invoke("d", (MutableEntry<String, String> entry, Object... args) -> {
      entry.remove();
      return null;
    });
    cache.removeAll(Set.of("e", "missing"));
    layered(cache).invalidate("f");
    assertThat(types()).containsExactly(Change.Type.REMOVED, Change.Type.REMOVED, Change.Type.REMOVED,
        Change.Type.REMOVED, Change.Type.REMOVED, Change.Type.REMOVED);
    assertThat(changes).extracting(Change::key).containsExactly("a", "b", "c", "d", "e", "f");
    assertThat(changes.get(5).origin()).isEqualTo(Change.Origin.INVALIDATE);
  }

  @Test
  void expiryClearTagsAndLoadsEachRecordOne() {
    cache.put("old", "1");
    time.advance(Duration.ofSeconds(11));
    assertThat(cache.get("old")).isNull();
    LayerCache<String, String> layered = layered(cache);
    layered.get("loaded", key -> "v");
    layered.get("nothing", key -> null);
    layered.set("tagged", "v", EntryOptions.defaults().withTags("t"));
    layered.invalidateByTag("t");
    cache.clear();
    assertThat(types()).containsExactly(Change.Type.CREATED, Change.Type.EXPIRED, Change.Type.CREATED,
        Change.Type.NOT_FOUND_STORED, Change.Type.CREATED, Change.Type.TAG_INVALIDATED, Change.Type.CLEARED);
    assertThat(changes.get(2).origin()).isEqualTo(Change.Origin.LOAD);
    assertThat(changes.get(5).detail()).isEqualTo("t");
  }

  @Test
  void aFailingListenerDoesNotKeepLaterListenersFromTheChange() {
    List<Change<String, String>> later = new CopyOnWriteArrayList<>();
    core().changes().subscribe(c -> {
      throw new IllegalStateException("listener failed");
    });
    core().changes().subscribe(later::addAll);
    assertThatThrownBy(() -> cache.put("k", "v")).hasMessage("listener failed");
    assertThat(later).extracting(Change::type).containsExactly(Change.Type.CREATED);
    assertThat(cache.get("k")).as("the change committed before listeners ran").isEqualTo("v");
  }
}
