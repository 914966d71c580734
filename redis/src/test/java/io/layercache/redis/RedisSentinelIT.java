package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.testsupport.RedisSentinel;
import io.layercache.testsupport.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis layer on a real Sentinel deployment (master, replica, three sentinels) reached through
 * the sentinels only: the {@link RedisTopologyContract}, the configuration file's sentinel mode,
 * and reads that never go to the replica. Failovers: {@link RedisSentinelFailoverIT}.
 */
class RedisSentinelIT extends RedisTopologyContract {

  private static RedisSentinel sentinel;

  @BeforeAll
  static void startSentinel() {
    sentinel = RedisSentinel.start();
  }

  @AfterAll
  static void stopSentinel() {
    sentinel.close();
  }

  @Override
  protected RedisConnection connection() {
    return RedisConnection.Addresses.sentinel(sentinel.masterName(), sentinel.sentinelUris());
  }

  @Override
  protected long countKeys(String pattern) {
    return ((List<?>) sentinel.master().command("KEYS", pattern)).size();
  }

  @Override
  protected void deleteKey(String key) {
    sentinel.master().command("DEL", key);
  }

  @Test
  void readsGoToTheMasterNeverToTheReplica() {
    Cache<String, String> writer = instance().createCache("reads", memoryAndRedis(layer()));
    for (int i = 0; i < 20; i++) {
      writer.put("key-" + i, "value-" + i);
    }
    sentinel.replica().command("CONFIG", "RESETSTAT");
    sentinel.master().command("CONFIG", "RESETSTAT");

    Cache<String, String> reader = instance().createCache("reads", memoryAndRedis(layer()));
    for (int i = 0; i < 20; i++) {
      assertThat(reader.get("key-" + i)).isEqualTo("value-" + i);
    }

    assertThat(gets(sentinel.master())).isGreaterThanOrEqualTo(20);
    assertThat(gets(sentinel.replica())).as("GETs on the replica, which may lag: the layer must not read from it")
        .isZero();
  }

  /** GET calls since the last CONFIG RESETSTAT. */
  private static long gets(io.layercache.testsupport.RedisServer server) {
    java.util.regex.Matcher calls = java.util.regex.Pattern.compile("cmdstat_get:calls=(\\d+)")
        .matcher(RespClient.text(server.command("INFO", "commandstats")));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  @Test
  void theConfigurationFileSelectsSentinelMode(@TempDir Path directory) throws Exception {
    String nodes = sentinel.sentinelUris().stream().map(uri -> "\"" + uri + "\"").collect(Collectors.joining(", "));
    Path file = Files.writeString(directory.resolve("sentinel.conf"), """
        layercache.caches.orders {
          layers = [memory, redis]
          redis {
            mode = sentinel
            master-name = "%s"
            nodes = [%s]
          }
        }
        """.formatted(sentinel.masterName(), nodes));
    Cache<Object, Object> orders = instance(file).getCache("orders");
    orders.put("o-1", "shipped");

    assertThat(RespClient.text(sentinel.master().command("EXISTS", "lc:orders:e:{so-1}"))).isEqualTo("1");
    assertThat(instance(file).getCache("orders").get("o-1")).isEqualTo("shipped");
  }
}
