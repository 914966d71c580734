package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.EntryInfo;
import io.layercache.EntryOptions;
import io.layercache.FailSafeSettings;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.NegativeCachingSettings;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Negative caching and fail-safe markers survive the trip through Redis to other instances. */
@ExtendWith(RedisServerExtension.class)
class NegativeAndFailSafeRedisIT extends RedisStackFixture {

  private final RedisServer redis;

  NegativeAndFailSafeRedisIT(RedisServer redis) {
    this.redis = redis;
  }

  @Test
  void aNotFoundRememberedByOneInstanceSparesTheOriginOnAnother() {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(redis)
        .setNegativeCaching(NegativeCachingSettings.remembering(Duration.ofMinutes(1)));
    LayerCache<String, String> first = layered(instance().createCache("negative", config));
    LayerCache<String, String> second = layered(instance().createCache("negative", config));
    AtomicInteger origin = new AtomicInteger();

    assertThat(first.get("missing", key -> {
      origin.incrementAndGet();
      return null;
    })).isNull();
    assertThat(second.get("missing", key -> {
      origin.incrementAndGet();
      return "should not be asked";
    })).isNull();

    assertThat(origin).hasValue(1);
    assertThat(second.asJCache().containsKey("missing")).isFalse();
    assertThat(second.entryInfo("missing")).get().extracting(EntryInfo::freshness)
        .isEqualTo(EntryInfo.Freshness.NOT_FOUND);
    second.asJCache().put("missing", "now present");
    assertThat(layered(instance().createCache("negative", config)).asJCache().get("missing")).isEqualTo("now present");
  }

  @Test
  void aValueServedByFailSafeIsMarkedForEveryInstance() {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(redis)
        .setFailSafe(FailSafeSettings.disabled().enabled(Duration.ofMinutes(10), Duration.ofSeconds(30)));
    LayerCache<String, String> first = layered(instance().createCache("fail-safe", config));
    first.set("k", "last good", EntryOptions.defaults().withTtl(Duration.ofMillis(200)));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> first.entryInfo("k").map(EntryInfo::freshness).orElse(null) == EntryInfo.Freshness.FAIL_SAFE);

    assertThat(first.get("k", key -> {
      throw new IOException("origin down");
    })).isEqualTo("last good");

    LayerCache<String, String> second = layered(instance().createCache("fail-safe", config));
    assertThat(second.entryInfo("k")).get().satisfies(info -> {
      assertThat(info.freshness()).isEqualTo(EntryInfo.Freshness.FAIL_SAFE);
      assertThat(info.layer()).isEqualTo("redis");
    });
    assertThat(second.asJCache().get("k")).isEqualTo("last good");
  }
}
