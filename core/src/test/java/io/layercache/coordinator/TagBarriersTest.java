package io.layercache.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.DegradationMode;
import io.layercache.ManualTime;
import io.layercache.ResilienceSettings;
import io.layercache.TagSettings;
import io.layercache.event.EventHub;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.SharedResources;
import io.layercache.layer.StoredEntry;
import io.layercache.metrics.MetricsRecorder;
import io.layercache.testing.Chaos;
import io.layercache.testing.ChaosLayer;
import io.layercache.testing.InMemoryRemote;
import io.layercache.testing.InMemoryRemoteLayerFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TagBarriers} over an in-memory remote's tag timestamps: judging, sharing the refresh, bounding the map. */
class TagBarriersTest {

  private static final Duration REFRESH = TagSettings.DEFAULT_REFRESH_INTERVAL;

  private final ManualTime time = new ManualTime();
  private final InMemoryRemote remote = InMemoryRemote.create();
  private final Chaos chaos = Chaos.create();
  private final SharedResources shared = new SharedResources();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void release() {
    chaos.off();
    pool.shutdownNow();
    shared.close();
    remote.forget();
  }

  /** The barriers of one instance of cache "tags", its remote layer behind the chaos switch. */
  private TagBarriers instance() {
    LayerContext<String, String> context = new LayerContext<>("tags", getClass().getClassLoader(), time,
        (layer, key, entry, expired) -> { }, true, shared, String.class, 0);
    Layer<String, String> layer = new ChaosLayer<>(new InMemoryRemoteLayerFactory().create(remote.spec(), context),
        chaos, "tags");
    LayerAccessor<String, String> accessor = new LayerAccessor<>("tags", layer, 1,
        ResilienceSettings.defaults().withMode(DegradationMode.STRICT), MetricsRecorder.NONE, new EventHub<>());
    return new TagBarriers(accessor, TagSettings.defaults(), time, false);
  }

  private static StoredEntry<String> entry(long writtenAt, String... tags) {
    return StoredEntry.of("v", StoredEntry.ETERNAL, writtenAt, Set.of(tags));
  }

  @Test
  void aStampRaisedByOneInstanceHidesOnlyOlderEntriesOnAnother() {
    TagBarriers a = instance();
    TagBarriers b = instance();
    a.invalidate("t", 1_000);

    assertThat(b.hides(entry(999, "t"))).isTrue();
    assertThat(b.hides(entry(999, "u", "t"))).isTrue();
    assertThat(b.hides(entry(1_000, "t"))).as("written at the barrier: live").isFalse();
    assertThat(b.hides(entry(999, "u"))).isFalse();
    assertThat(b.isShared()).isTrue();
  }

  @Test
  void untaggedEntriesNeverReachTheSharedLayer() {
    TagBarriers barriers = instance();
    chaos.alwaysFail();
    assertThat(barriers.hides(entry(1))).isFalse();
    assertThat(chaos.calls()).isZero();
  }

  @Test
  void whileOneReaderRefreshesAKnownTagTheOthersGoOnWithTheirCopy() throws Exception {
    TagBarriers barriers = instance();
    StoredEntry<String> tagged = entry(1, "t");
    assertThat(barriers.hides(tagged)).isFalse(); // known, absent
    time.advance(REFRESH);
    chaos.targeting(Chaos.Operation.TAGS).hang(Duration.ofSeconds(10)); // a reader that waits too fails

    Future<Boolean> refreshing = pool.submit(() -> barriers.hides(tagged));
    await().atMost(Duration.ofSeconds(10)).until(() -> chaos.hung() == 1);

    assertThat(barriers.hides(tagged)).as("judged by the copy, without waiting").isFalse();
    assertThat(chaos.calls(Chaos.Operation.TAGS)).isEqualTo(2);
    chaos.off();
    assertThat(refreshing.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void staleCopiesTheSharedLayerConfirmsAreDroppedWhenManyTagsAreKnownButLocalStampsStay() {
    TagBarriers barriers = instance();
    barriers.invalidateLocally("delivered", 500);
    for (int i = 0; i <= TagBarriers.SWEEP_ABOVE; i++) {
      barriers.hides(entry(1, "tag-" + i));
    }
    assertThat(barriers.knownTags()).as("all fresh: nothing dropped").isEqualTo(TagBarriers.SWEEP_ABOVE + 2);

    time.advance(REFRESH);
    barriers.hides(entry(1, "one-more"));

    assertThat(barriers.knownTags()).as("the local stamp and the fresh tag").isEqualTo(2);
    assertThat(barriers.hides(entry(499, "delivered"))).isTrue();
  }
}
