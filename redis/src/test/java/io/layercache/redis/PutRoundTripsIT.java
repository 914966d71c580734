package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import io.layercache.testsupport.RespClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plain put on memory + Redis cost two round trips (a GET, then a compare-and-set script)
 * although nothing needed the previous value. It costs one SET now, and still reads the previous
 * value when a JCache listener must tell created from updated.
 */
@ExtendWith(RedisServerExtension.class)
class PutRoundTripsIT extends RedisStackFixture {

  /** A listener that only needs to exist. */
  public static final class Created implements CacheEntryCreatedListener<String, String>, java.io.Serializable {
    @Override
    public void onCreated(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {}
  }

  private final RedisServer redis;

  PutRoundTripsIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void empty() {
    redis.flushAll();
  }

  @Test
  void aPlainPutWithNoObserverOfOldValuesIsOneSet() {
    Cache<String, String> cache = instance().createCache("puts",
        RedisStackFixture.<String, String>memoryAndRedis(redis).setTypes(String.class, String.class));
    cache.put("warm-up", "v"); // connections and scripts loaded
    redis.command("CONFIG", "RESETSTAT");

    for (int i = 0; i < 10; i++) {
      cache.put("k" + i, "v");
      cache.put("k" + i, "w");
    }

    assertThat(calls("get")).as("GETs for 20 puts").isZero();
    assertThat(calls("evalsha") + calls("eval")).as("compare-and-set scripts").isZero();
    assertThat(calls("set")).isEqualTo(20);
    assertThat(cache.get("k3")).isEqualTo("w");
  }

  @Test
  void aPutStillReadsThePreviousValueForAJCacheListener() {
    Cache<String, String> cache = instance().createCache("listened",
        RedisStackFixture.<String, String>memoryAndRedis(redis).setTypes(String.class, String.class));
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, String>(
        () -> (CacheEntryListener<String, String>) new Created(), null, false, true));
    cache.put("warm-up", "v");
    redis.command("CONFIG", "RESETSTAT");

    cache.put("k", "v");

    assertThat(calls("get")).as("the read of the previous value (and the script's own GET)").isPositive();
    assertThat(calls("evalsha") + calls("eval")).as("one compare-and-set").isEqualTo(1);
  }

  /** How many times Redis ran {@code command} since the last CONFIG RESETSTAT. */
  private long calls(String command) {
    String info = RespClient.text(redis.command("INFO", "commandstats"));
    Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
