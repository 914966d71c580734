package io.layercache.redis;

import io.layercache.LayerCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.util.List;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The least-privilege ACL published in docs/redis.md is enough for everything the Redis layer
 * does: the one command Redis denies is Redisson's connect-time cluster probe, which Redisson
 * ignores (see docs/guarantees.md, security rule S6).
 */
@ExtendWith(RedisServerExtension.class)
class LeastPrivilegeAclIT extends RedisStackFixture {

  /** The permissions of the ACL of docs/redis.md for namespace "lc". */
  static final List<String> PERMISSIONS = List.of("resetkeys", "~lc:*", "resetchannels", "&lc:lease-released",
      "-@all", "+@read", "+@write", "+@scripting", "+@keyspace", "-@dangerous", "+ping", "+hello", "+client|setname",
      "+time", "+publish", "+subscribe", "+unsubscribe");

  /** The ACL rules of docs/redis.md for namespace "lc", with the test's password. */
  static final List<String> RULES = java.util.stream.Stream.concat(java.util.stream.Stream.of("on", ">s3cret-for-tests"),
      PERMISSIONS.stream()).toList();

  @Test
  void theLayerWorksAsALeastPrivilegeUserAndRedisDeniesNothing(RedisServer redis) {
    redis.command("ACL", "LOG", "RESET");
    String[] setUser = new String[RULES.size() + 3];
    setUser[0] = "ACL";
    setUser[1] = "SETUSER";
    setUser[2] = "layercache";
    for (int i = 0; i < RULES.size(); i++) {
      setUser[i + 3] = RULES.get(i);
    }
    redis.command(setUser);
    redis.command("SCRIPT", "FLUSH");

    var connection = RedisConnection.Addresses.standalone(redis.uri()).withCredentials("layercache", "s3cret-for-tests");
    Cache<String, String> cache = instance().createCache("acl", memoryAndRedis(RedisLayerSpec.of(connection)));
    cache.put("k", "v");
    assertThat(instance().createCache("acl", memoryAndRedis(RedisLayerSpec.of(connection))).get("k")).isEqualTo("v");
    assertThat(cache.putIfAbsent("k", "other")).isFalse();
    assertThat(cache.replace("k", "v", "w")).isTrue();
    cache.put("x".repeat(2_000), "long key");
    int seen = 0;
    for (Cache.Entry<String, String> ignored : cache) {
      seen++;
    }
    assertThat(seen).isEqualTo(2);
    LayerCache<String, String> coordinated = layered(instance().createCache("acl-single-flight",
        RedisStackFixture.<String, String>memoryAndRedis(RedisLayerSpec.of(connection))
            .setSingleFlight(io.layercache.SingleFlightSettings.distributed(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1)))));
    assertThat(coordinated.get("loaded", key -> "under a lease")).isEqualTo("under a lease");
    assertThat(coordinated.loadStatistics().leasesTaken()).isEqualTo(1);
    LayerCache<String, String> tagging = layered(cache);
    tagging.set("tagged", "v", io.layercache.EntryOptions.defaults().withTags("t", "u"));
    tagging.invalidateByTag("t");
    assertThat(instance().createCache("acl", memoryAndRedis(RedisLayerSpec.of(connection))).get("tagged"))
        .as("tag keys and their scripts are within the rules").isNull();
    cache.removeAll();
    cache.clear();

    List<?> log = (List<?>) redis.command("ACL", "LOG");
    assertThat(log).as("commands Redis denied to the layer").allSatisfy(entry -> assertIsRedissonsClusterProbe(entry));
  }

  /** What the invalidation bus adds to {@link #RULES} (docs/redis.md): its channel and the pub/sub commands. */
  static final List<String> BUS_RULES = List.of("&layercache:invalidations", "+publish", "+subscribe", "+unsubscribe");

  @Test
  void theBusWorksAsALeastPrivilegeUserWithItsChannelRule(RedisServer redis) {
    redis.command("ACL", "LOG", "RESET");
    java.util.List<String> command = new java.util.ArrayList<>(List.of("ACL", "SETUSER", "layercache"));
    command.addAll(RULES);
    command.addAll(BUS_RULES);
    redis.command(command.toArray(String[]::new));
    var connection = RedisConnection.Addresses.standalone(redis.uri()).withCredentials("layercache", "s3cret-for-tests");
    var config = RedisStackFixture.<String, String>memoryAndRedis(RedisLayerSpec.of(connection))
        .setBus(io.layercache.bus.BusConfig.of(new RedisBusSpec(connection, "layercache:invalidations"),
            io.layercache.bus.BusSettings.defaults("acl")));
    Cache<String, String> a = instance().createCache("acl-bus", config);
    Cache<String, String> b = instance().createCache("acl-bus", config);
    a.put("k", "v1");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(b.get("k")).isEqualTo("v1");
      assertThat(layered(b).entryInfo("k").orElseThrow().layer()).isEqualTo("memory");
    });
    a.put("k", "v2");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(b.get("k")).isEqualTo("v2"));
    assertThat(layered(b).busStatistics().orElseThrow().received()).isPositive();

    List<?> log = (List<?>) redis.command("ACL", "LOG");
    assertThat(log).as("commands Redis denied to the layer or the bus").allSatisfy(entry -> assertIsRedissonsClusterProbe(entry));
  }

  /**
   * Redisson 4 probes every new standalone client for a cluster behind a proxy: {@code EVAL} of a
   * script reading keys test1 and test2, expecting CROSSSLOT from a cluster. The ACL denies the
   * keys (they are outside the namespace); Redisson ignores the error and connects. Redis logs one
   * entry and counts the repeats in it.
   */
  static void assertIsRedissonsClusterProbe(Object logEntry) {
    java.util.Map<String, String> entry = new java.util.HashMap<>();
    List<?> fields = (List<?>) logEntry;
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      entry.put(text(fields.get(i)), text(fields.get(i + 1)));
    }
    assertThat(entry).as("ACL LOG entry %s", entry).containsEntry("reason", "key").containsEntry("object", "test1")
        .containsEntry("username", "layercache");
    assertThat(entry.get("client-info")).as("ACL LOG entry %s", entry).contains("cmd=eval");
  }

  private static String text(Object reply) {
    return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
  }

  @Test
  void theUserCannotTouchKeysOutsideItsNamespace(RedisServer redis) {
    redis.command("ACL", "SETUSER", "narrow", "on", ">pw", "resetkeys", "~other:*", "-@all", "+@read", "+@write",
        "+@scripting", "+@keyspace", "-@dangerous", "+ping", "+hello", "+client|setname");
    var connection = RedisConnection.Addresses.standalone(redis.uri()).withCredentials("narrow", "pw");
    Cache<String, String> cache = instance().createCache("denied", memoryAndRedis(RedisLayerSpec.of(connection)));
    assertThatThrownBy(() -> cache.put("k", "v")).isInstanceOf(javax.cache.CacheException.class)
        .hasMessageContaining("NOPERM");
  }
}
