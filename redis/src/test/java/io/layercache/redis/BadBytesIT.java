package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.LayerCache;
import io.layercache.LayerStatistics;
import io.layercache.codec.CodecSettings;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Foreign, corrupt or hostile bytes under a LayerCache key read as a miss, are counted and
 * deleted, and affect nothing else (the bad-input tests of docs/guarantees.md, against a real Redis).
 */
@ExtendWith(RedisServerExtension.class)
class BadBytesIT extends RedisStackFixture {

  private final RedisServer redis;
  private Cache<String, String> cache;
  private CacheManager other;

  BadBytesIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    redis.flushAll();
    cache = instance().createCache("victim", memoryAndRedis(redis));
    cache.put("neighbour", "untouched");
    other = instance();
  }

  /** Reads {@code key} through a fresh instance (cold memory layer) after planting bytes under it. */
  private String readPlanted(String key, byte[] bytes) {
    redis.setRaw("lc:victim:e:{s" + key + "}", bytes);
    Cache<String, String> reader = other.getCache("victim") != null ? other.getCache("victim")
        : other.createCache("victim", memoryAndRedis(redis));
    return reader.get(key);
  }

  private LayerStatistics redisStats() {
    @SuppressWarnings("unchecked")
    LayerCache<String, String> layered = other.getCache("victim").unwrap(LayerCache.class);
    return layered.layerStatistics().get(1);
  }

  private void assertRejectedAndDeleted(String key, long rejections) {
    assertThat(redisStats().detail("decode-errors")).isEqualTo(rejections);
    assertThat(redis.command("EXISTS", "lc:victim:e:{s" + key + "}")).isEqualTo(0L);
    assertThat(other.getCache("victim").get("neighbour")).isEqualTo("untouched");
  }

  @Test
  void randomBytesReadAsAMissAndAreDeleted() {
    byte[] noise = new byte[64];
    new Random(42).nextBytes(noise);
    assertThat(readPlanted("k", noise)).isNull();
    assertRejectedAndDeleted("k", 1);
  }

  @Test
  void anEmptyValueReadsAsAMiss() {
    assertThat(readPlanted("k", new byte[0])).isNull();
    assertRejectedAndDeleted("k", 1);
  }

  @Test
  void aJavaSerializationStreamIsNeverDeserialized() {
    byte[] javaStream = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x73, 0x72};
    assertThat(readPlanted("k", javaStream)).isNull();
    assertThat(redisStats().detail("decode-error.BAD_MAGIC")).isEqualTo(1);
  }

  @Test
  void everyTruncationOfAValidEnvelopeReadsAsAMiss() {
    cache.put("source", "a value long enough to truncate in many places");
    byte[] valid = (byte[]) redis.command("GET", "lc:victim:e:{ssource}");
    for (int length = 0; length < valid.length; length++) {
      assertThat(readPlanted("cut", Arrays.copyOf(valid, length))).as("truncated to %d bytes", length).isNull();
    }
    assertThat(redisStats().detail("decode-errors")).isEqualTo(valid.length);
  }

  @Test
  void aValidEnvelopeCopiedFromAnotherKeyIsRejected() {
    cache.put("source", "secret of source");
    byte[] valid = (byte[]) redis.command("GET", "lc:victim:e:{ssource}");
    assertThat(readPlanted("target", valid)).isNull();
    assertThat(redisStats().detail("decode-error.KEY_MISMATCH")).isEqualTo(1);
    assertThat(other.getCache("victim").get("source")).isEqualTo("secret of source");
  }

  @Test
  void anEnvelopeFromAnotherCacheIsRejected() {
    Cache<String, String> elsewhere = instance().createCache("elsewhere", memoryAndRedis(redis));
    elsewhere.put("k", "not yours");
    byte[] foreign = (byte[]) redis.command("GET", "lc:elsewhere:e:{sk}");
    assertThat(readPlanted("k", foreign)).isNull();
    assertThat(redisStats().detail("decode-error.KEY_MISMATCH")).isEqualTo(1);
  }

  @Test
  void aPlainStringWrittenByAnotherAppReadsAsAMiss() {
    assertThat(readPlanted("k", "hello from another app".getBytes(StandardCharsets.UTF_8))).isNull();
    assertRejectedAndDeleted("k", 1);
  }

  @Test
  void aValueAboveTheSizeCapStaysInMemoryAndIsCounted() {
    var small = RedisLayerSpec.of(redis.uri()).withCodec(CodecSettings.defaults().withMaxValueBytes(1024));
    Cache<String, String> writer = instance().createCache("capped", memoryAndRedis(small));
    String big = incompressible(64 * 1024);
    writer.put("big", big);
    writer.put("small", "fits");

    assertThat(writer.get("big")).as("the writer's memory layer keeps the value").isEqualTo(big);
    Cache<String, String> reader = instance().createCache("capped", memoryAndRedis(small));
    assertThat(reader.get("big")).isNull();
    assertThat(reader.get("small")).isEqualTo("fits");
    @SuppressWarnings("unchecked")
    LayerCache<String, String> layered = writer.unwrap(LayerCache.class);
    assertThat(layered.layerStatistics().get(1).detail("oversized")).isEqualTo(1);
  }

  @Test
  void aValueAboveTheSizeCapIsRefusedWhenConfigured() {
    var refusing = RedisLayerSpec.of(redis.uri()).withOversized(OversizePolicy.REFUSE)
        .withCodec(CodecSettings.defaults().withMaxValueBytes(1024));
    Cache<String, String> writer = instance().createCache("refusing", memoryAndRedis(refusing));
    assertThatThrownBy(() -> writer.put("big", incompressible(64 * 1024)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-value-bytes");
    assertThat(writer.containsKey("big")).isFalse();
  }

  private static String incompressible(int bytes) {
    byte[] noise = new byte[bytes];
    new Random(bytes).nextBytes(noise);
    return java.util.Base64.getEncoder().encodeToString(noise);
  }

  @Test
  void aValueOfAClassOutsideTheAllowListIsRefusedWithTheSettingToChange() {
    Cache<String, Object> strict = instance().createCache("strict",
        memoryAndRedis(RedisLayerSpec.of(redis.uri())));
    assertThatThrownBy(() -> strict.put("k", new MemoryRedisStackIT.Profile("Ada", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(MemoryRedisStackIT.Profile.class.getName())
        .hasMessageContaining("allowed-class-prefixes");
    assertThat(strict.containsKey("k")).isFalse();
  }
}
