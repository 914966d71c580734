package io.layercache.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.coordinator.LayerAccessor;
import io.layercache.layer.LayerUnavailableException;
import io.layercache.testing.Chaos;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Tag timestamps with the shared layer failing: graceful mode invalidates and judges locally and
 * counts it; strict mode fails the operation like any other layer failure.
 */
class SharedTagTimestampsDegradationTest extends TopologyFixture {

  private static final Duration LONG_BREAK = Duration.ofMinutes(1);
  private static final EntryOptions TAGGED = EntryOptions.defaults().withTags("t");

  private LayerCache<String, String> graceful(String cache) {
    return instances.newCache(cache, memoryAndChaoticRemote().setResilience(graceful(50, LONG_BREAK)));
  }

  private LayerCache<String, String> strict(String cache) {
    return instances.newCache(cache, memoryAndChaoticRemote().setResilience(strict(50, LONG_BREAK)));
  }

  @Test
  void gracefulModeStillInvalidatesLocallyWhenTheRemoteIsDown() {
    LayerCache<String, String> cache = graceful("graceful-invalidate");
    cache.set("tagged", "v", TAGGED);
    cache.set("untagged", "w", EntryOptions.defaults());
    chaos.targeting(Chaos.Operation.TAGS).alwaysFail();

    cache.invalidateByTag("t");

    assertThat(cache.asJCache().get("tagged")).isNull();
    assertThat(cache.asJCache().get("untagged")).isEqualTo("w");
    assertThat(bottom(cache).detail(LayerAccessor.LOCAL_ONLY_TAG_INVALIDATIONS)).isEqualTo(1);
  }

  @Test
  void gracefulModeJudgesByTheLocalStampsWhileTheRemoteCannotBeReadAndAsksAgainAfterTheInterval() {
    LayerCache<String, String> a = graceful("graceful-refresh");
    LayerCache<String, String> b = instances.newCache("graceful-refresh", memoryAndRemote());
    a.set("tagged", "v", TAGGED);
    assertThat(a.asJCache().get("tagged")).isEqualTo("v");
    time.advance(Duration.ofMillis(1));
    b.invalidateByTag("t"); // B reaches the remote; A cannot any more
    chaos.targeting(Chaos.Operation.TAGS).alwaysFail();
    time.advance(SharedTagTimestampsTest.REFRESH);

    assertThat(a.asJCache().get("tagged")).as("A's local stamps: served").isEqualTo("v");
    assertThat(a.asJCache().get("tagged")).isEqualTo("v");
    LayerStatistics remoteStats = bottom(a);
    assertThat(remoteStats.detail(LayerAccessor.TAG_REFRESH_FALLBACKS)).as("one failed read per interval").isEqualTo(1);
    assertThat(remoteStats.failures()).isEqualTo(1);

    chaos.off();
    assertThat(a.asJCache().get("tagged")).as("not asked again within the interval").isEqualTo("v");
    time.advance(SharedTagTimestampsTest.REFRESH);
    assertThat(a.asJCache().get("tagged")).as("asked again: hidden").isNull();
  }

  @Test
  void strictModeFailsAnInvalidationTheRemoteCannotStoreAndChangesNothing() {
    LayerCache<String, String> cache = strict("strict-invalidate");
    cache.set("tagged", "v", TAGGED);
    assertThat(cache.asJCache().get("tagged")).isEqualTo("v");
    chaos.targeting(Chaos.Operation.TAGS).alwaysFail();

    assertThatThrownBy(() -> cache.invalidateByTag("t")).isInstanceOf(LayerUnavailableException.class)
        .hasMessageContaining("'strict-invalidate'");

    chaos.off();
    assertThat(cache.asJCache().get("tagged")).isEqualTo("v");
  }

  @Test
  void strictModeFailsAReadThatMustAskForTagsAndAsksAgainOnTheNextRead() {
    LayerCache<String, String> cache = strict("strict-read");
    cache.set("tagged", "v", TAGGED);
    cache.set("untagged", "w", EntryOptions.defaults());
    assertThat(cache.asJCache().get("tagged")).isEqualTo("v"); // the tag is known from now on
    time.advance(SharedTagTimestampsTest.REFRESH);
    chaos.targeting(Chaos.Operation.TAGS).alwaysFail();

    assertThatThrownBy(() -> cache.asJCache().get("tagged")).isInstanceOf(LayerUnavailableException.class);
    assertThat(cache.asJCache().get("untagged")).as("untagged reads never ask").isEqualTo("w");

    chaos.off();
    assertThat(cache.asJCache().get("tagged")).isEqualTo("v");
    assertThat(chaos.calls(Chaos.Operation.TAGS)).as("the failed read was not taken as fresh").isEqualTo(3);
  }
}
