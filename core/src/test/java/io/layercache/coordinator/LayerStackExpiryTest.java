package io.layercache.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.DegradationMode;
import io.layercache.ManualTime;
import io.layercache.event.EventHub;
import io.layercache.ResilienceSettings;
import io.layercache.layer.Layer;
import io.layercache.metrics.MetricsRecorder;
import io.layercache.layer.LayerContext;
import io.layercache.layer.SharedResources;
import io.layercache.layer.StoredEntry;
import io.layercache.layer.memory.MemoryLayer;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two memory layers stand for memory over Redis: the upper one caps an entry's lifetime (its ttl),
 * so its copy expires before the authoritative entry does.
 */
class LayerStackExpiryTest {

  private final ManualTime time = new ManualTime();
  private final TagBarriers barriers = new TagBarriers();

  private LayerStack<String, String> stack() {
    LayerContext<String, String> context = new LayerContext<>("stack", getClass().getClassLoader(), time,
        (layer, key, entry, expired) -> {}, true, new SharedResources(), String.class, 0);
    MemoryLayer<String, String> upper = new MemoryLayer<>(MemoryLayerSpec.defaults(), context, true);
    MemoryLayer<String, String> bottom = new MemoryLayer<>(MemoryLayerSpec.defaults(), context, true);
    EventHub<String> events = new EventHub<>();
    return new LayerStack<>("stack", List.of(accessor(upper, 0, events), accessor(bottom, 1, events)),
        new long[] {1_000, 0}, MetricsRecorder.NONE, barriers, events, time, DegradationMode.STRICT, null, null, null);
  }

  private static LayerAccessor<String, String> accessor(Layer<String, String> layer, int index,
      EventHub<String> events) {
    return new LayerAccessor<>("stack", layer, index, ResilienceSettings.defaults(), MetricsRecorder.NONE, events);
  }

  @Test
  void expiringAnUpperCopyThatExpiredEarlyKeepsTheLiveAuthoritativeEntry() {
    LayerStack<String, String> stack = stack();
    long now = time.currentTimeMillis();
    StoredEntry<String> written = StoredEntry.of("v", now + 10_000, new WriteClock(time).next(), Set.of());
    stack.put("k", written, now, stack.newOperation());
    StoredEntry<String> upperCopy = stack.layers().get(0).get("k");
    assertThat(upperCopy.expireAt()).as("capped by the upper layer's ttl").isEqualTo(now + 1_000);
    time.advance(Duration.ofSeconds(2));

    LayerStack.Expiry<String> expiry = stack.expire("k", upperCopy, time.currentTimeMillis(), stack.newOperation());

    assertThat(expiry.removed()).isFalse();
    assertThat(expiry.live()).isNotNull().extracting(StoredEntry::value).isEqualTo("v");
    assertThat(stack.authoritative().get("k")).as("the authoritative entry survives").isNotNull();
    StoredEntry<String> upperNow = stack.layers().get(0).get("k");
    assertThat(upperNow).as("the upper layer holds a live copy again").isNotNull();
    assertThat(upperNow.isExpiredAt(time.currentTimeMillis())).isFalse();
  }

  @Test
  void expiringAWriteExpiredEverywhereRemovesItEverywhere() {
    LayerStack<String, String> stack = stack();
    long now = time.currentTimeMillis();
    StoredEntry<String> written = StoredEntry.of("v", now + 500, new WriteClock(time).next(), Set.of());
    stack.put("k", written, now, stack.newOperation());
    time.advance(Duration.ofSeconds(2));

    LayerStack.Expiry<String> expiry = stack.expire("k", written, time.currentTimeMillis(), stack.newOperation());

    assertThat(expiry.removed()).isTrue();
    assertThat(expiry.live()).isNull();
    assertThat(stack.authoritative().get("k")).isNull();
    assertThat(stack.layers().get(0).get("k")).isNull();
  }
}
