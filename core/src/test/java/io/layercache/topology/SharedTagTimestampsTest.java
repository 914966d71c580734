package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.TagSettings;
import io.layercache.jcache.CacheProxy;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.testing.RemoteOperation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Tag invalidation through the shared layer's tag timestamps, with instances (cache managers) on
 * one in-memory remote and one manual clock: what another instance, and an instance started
 * later, hides; when; and what a read costs.
 */
class SharedTagTimestampsTest extends TopologyFixture {

  static final Duration REFRESH = TagSettings.DEFAULT_REFRESH_INTERVAL;
  private static final EntryOptions TAGGED = EntryOptions.defaults().withTags("t");

  private LayerCache<String, String> instance(String cache) {
    return instances.newCache(cache, memoryAndRemote());
  }

  private long tagReads(String cache) {
    return remote.calls(cache, RemoteOperation.TAG_READ);
  }

  @Test
  void anotherInstanceStopsServingItsMemoryCopiesOfTheTagWithinTheRefreshInterval() {
    LayerCache<String, String> a = instance("copies");
    LayerCache<String, String> b = instance("copies");
    a.set("tagged", "v1", TAGGED);
    a.set("other-tag", "v2", EntryOptions.defaults().withTags("u"));
    a.set("untagged", "v3", EntryOptions.defaults());
    assertThat(b.asJCache().get("tagged")).isEqualTo("v1"); // now in B's memory, tag "t" known absent

    a.invalidateByTag("t");

    assertThat(b.asJCache().get("tagged")).as("B's copy of the tag is fresh: served").isEqualTo("v1");
    time.advance(REFRESH);
    assertThat(b.asJCache().get("tagged")).as("B read the tag's stamp again").isNull();
    assertThat(b.asJCache().get("other-tag")).isEqualTo("v2");
    assertThat(b.asJCache().get("untagged")).isEqualTo("v3");
    assertThat(a.asJCache().get("tagged")).isNull();
  }

  @Test
  void anInstanceStartedAfterTheInvalidationDoesNotServeTheEntriesStillInTheRemote() {
    LayerCache<String, String> a = instance("restart");
    a.set("tagged", "old", TAGGED);
    a.set("untagged", "kept", EntryOptions.defaults());
    time.advance(Duration.ofMillis(1)); // instances' write stamps are only ordered by their (here shared) clock
    instance("restart").invalidateByTag("t"); // an instance that never read the entry
    assertThat(remote.store("restart").contains("tagged")).as("the entry is still in the remote").isTrue();

    LayerCache<String, String> restarted = instance("restart");

    assertThat(restarted.asJCache().get("tagged")).isNull();
    assertThat(restarted.asJCache().get("untagged")).isEqualTo("kept");
    assertThat(remote.store("restart").contains("tagged")).as("the hidden entry was removed on read").isFalse();
    restarted.set("tagged", "new", TAGGED);
    assertThat(instance("restart").asJCache().get("tagged")).as("written after the invalidation").isEqualTo("new");
  }

  @Test
  void theStampsOfAnEntrysTagsAreReadInOneCallAndCachedEvenWhenAbsent() {
    LayerCache<String, String> writer = instance("one-call");
    writer.set("k", "v", EntryOptions.defaults().withTags("a", "b", "c"));
    LayerCache<String, String> reader = instance("one-call");
    long before = tagReads("one-call");

    for (int i = 0; i < 10; i++) {
      assertThat(reader.asJCache().get("k")).isEqualTo("v");
    }
    assertThat(tagReads("one-call") - before).as("three absent tags, one read, then cached").isEqualTo(1);

    time.advance(REFRESH);
    reader.asJCache().get("k");
    reader.asJCache().get("k");
    assertThat(tagReads("one-call") - before).as("read again once the copy is older than the interval").isEqualTo(2);
  }

  @Test
  void readsOfUntaggedEntriesNeverAskForTags() {
    LayerCache<String, String> a = instance("untagged");
    a.asJCache().put("k", "v");
    a.invalidateByTag("t");
    LayerCache<String, String> b = instance("untagged");
    for (int i = 0; i < 5; i++) {
      assertThat(b.asJCache().get("k")).isEqualTo("v");
      time.advance(REFRESH);
    }
    assertThat(tagReads("untagged")).isZero();
  }

  @Test
  void invalidatingATagIsOneRaiseOfItsSharedStampWhateverTheNumberOfEntries() {
    LayerCache<String, String> a = instance("one-raise");
    for (int i = 0; i < 100; i++) {
      a.set("k" + i, "v", TAGGED);
    }
    remoteLayerOf("one-raise", 0).resetCalls();

    a.invalidateByTag("t");

    assertThat(remoteLayerOf("one-raise", 0).totalCalls()).isEqualTo(1);
    assertThat(remoteLayerOf("one-raise", 0).calls(RemoteOperation.TAG_RAISE)).isEqualTo(1);
    assertThat(remote.store("one-raise").tagStamp("t", time.currentTimeMillis())).isPositive();
    assertThat(remote.store("one-raise").size()).as("no entry visited").isEqualTo(100);
  }

  @Test
  void aZeroRefreshIntervalReadsTheStampsOnEveryReadOfATaggedEntry() {
    LayerCacheConfiguration<String, String> config = memoryAndRemote()
        .setTags(TagSettings.defaults().withRefreshInterval(Duration.ZERO));
    LayerCache<String, String> a = instances.newCache("zero", config);
    LayerCache<String, String> b = instances.newCache("zero", config);
    a.set("k", "v", TAGGED);
    assertThat(b.asJCache().get("k")).isEqualTo("v");

    a.invalidateByTag("t");

    assertThat(b.asJCache().get("k")).as("no time passed, yet the stamp was read again").isNull();
  }

  @Test
  void anotherInstancesInvalidationDeliveredLocallyHidesAtOnceAndIsKeptWithTheSharedStamps() {
    LayerCache<String, String> a = instance("bus");
    a.set("k", "v", TAGGED);
    assertThat(a.asJCache().get("k")).isEqualTo("v");

    long aMinuteAhead = (time.currentTimeMillis() + 60_000) * 1000; // an instance whose clock is ahead
    core(a).remote().invalidateTag("t", aMinuteAhead); // as the invalidation bus delivers it

    assertThat(a.asJCache().get("k")).isNull();
    time.advance(REFRESH);
    a.set("k", "v2", TAGGED);
    assertThat(a.asJCache().get("k")).as("the local stamp outranks the (absent) shared one after a refresh").isNull();
    assertThat(tagReads("bus")).as("the stamp was read again meanwhile").isPositive();
  }

  @Test
  void tagStampsAreKeptAsLongAsAnEntryTheyHideCanBeServedAndForEverWithoutLayerTtls() {
    LayerCacheConfiguration<String, String> capped = config(MemoryLayerSpec.defaults().withTtl(Duration.ofMinutes(1)),
        remote.spec().withTtl(Duration.ofMinutes(2)));
    instances.newCache("capped", capped).invalidateByTag("t");
    instances.newCache("uncapped", config(MemoryLayerSpec.defaults().withTtl(Duration.ofMinutes(1)), remote.spec()))
        .invalidateByTag("t");

    // the longest layer ttl + the refresh interval + the remote's 5 s grace (no fail-safe retention)
    assertThat(remote.store("capped").tagDeadline("t"))
        .isEqualTo(time.currentTimeMillis() + Duration.ofMinutes(2).plus(REFRESH).plusSeconds(5).toMillis());
    assertThat(remote.store("uncapped").tagDeadline("t")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aTagStampOutlivesTheEntriesItCanHideThenExpires() {
    LayerCacheConfiguration<String, String> capped = config(MemoryLayerSpec.defaults().withTtl(Duration.ofMinutes(1)),
        remote.spec().withTtl(Duration.ofMinutes(1)));
    LayerCache<String, String> a = instances.newCache("expiring", capped);
    LayerCache<String, String> b = instances.newCache("expiring", capped);
    a.set("k", "v", TAGGED);
    assertThat(b.asJCache().get("k")).isEqualTo("v");
    time.advance(Duration.ofMillis(1));
    b.invalidateByTag("t");
    time.advance(Duration.ofMinutes(1).plus(REFRESH));

    assertThat(remote.store("expiring").tagStamp("t", time.currentTimeMillis())).as("still kept").isPositive();
    time.advance(Duration.ofSeconds(6));
    assertThat(remote.store("expiring").tagStamp("t", time.currentTimeMillis())).as("gone with the entries").isZero();
  }

  private static CacheProxy<String, String> proxy(LayerCache<String, String> cache) {
    @SuppressWarnings("unchecked")
    CacheProxy<String, String> proxy = cache.asJCache().unwrap(CacheProxy.class);
    return proxy;
  }

  private static io.layercache.coordinator.CacheCore<String, String> core(LayerCache<String, String> cache) {
    return proxy(cache).core();
  }
}
