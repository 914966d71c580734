package io.layercache.redis;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.SingleFlightSettings;
import io.layercache.TagSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.layercache.testsupport.RedisCluster;
import java.util.HashSet;
import java.util.Set;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis layer on a real three-master Redis Cluster: entries spread over slots, scripts stay legal. */
class RedisClusterIT extends RedisStackFixture {

  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private RedisLayerSpec clusterLayer() {
    return RedisLayerSpec.of(RedisConnection.Addresses.cluster(cluster.uris()));
  }

  @Test
  void everyOperationWorksOnKeysSpreadOverTheCluster() {
    Cache<String, String> writer = instance().createCache("spread", memoryAndRedis(clusterLayer()));
    for (int i = 0; i < 300; i++) {
      writer.put("key-" + i, "value-" + i);
    }
    Set<Long> nodesHoldingKeys = new HashSet<>();
    for (var node : cluster.nodes()) {
      if ((Long) node.command("DBSIZE") > 0) {
        nodesHoldingKeys.add((long) node.port());
      }
    }
    assertThat(nodesHoldingKeys).hasSize(3);

    Cache<String, String> reader = instance().createCache("spread", memoryAndRedis(clusterLayer()));
    for (int i = 0; i < 300; i++) {
      assertThat(reader.get("key-" + i)).isEqualTo("value-" + i);
    }
    assertThat(reader.replace("key-1", "value-1", "changed")).isTrue();
    assertThat(reader.putIfAbsent("key-2", "nope")).isFalse();
    Integer length = reader.invoke("key-3", (entry, args) -> entry.getValue().length());
    assertThat(length).isEqualTo("value-3".length());
    assertThat(reader.getAndRemove("key-4")).isEqualTo("value-4");

    int iterated = 0;
    for (Cache.Entry<String, String> ignored : reader) {
      iterated++;
    }
    assertThat(iterated).isEqualTo(299);

    reader.clear();
    long remaining = cluster.nodes().stream().mapToLong(n -> ((List<?>) n.command("KEYS", "lc:spread:*")).size()).sum();
    assertThat(remaining).isZero();
  }

  @Test
  void tagInvalidationsAreSharedThroughTagKeysSpreadOverTheCluster() {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(clusterLayer())
        .setTags(new TagSettings(Duration.ofSeconds(1)));
    LayerCache<String, String> a = layered(instance().createCache("tags", config));
    List<String> tags = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "tag-" + i).toList();
    for (String tag : tags) {
      a.set("only-" + tag, "v", EntryOptions.defaults().withTags(tag));
    }
    a.set("many", "v", EntryOptions.defaults().withTags(tags.subList(0, 8)));
    a.set("untagged", "v", EntryOptions.defaults());
    LayerCache<String, String> b = layered(instance().createCache("tags", config));
    assertThat(b.asJCache().get("many")).as("8 tags read over several slots").isEqualTo("v");

    a.invalidateByTag("tag-5");
    a.invalidateByTag("tag-11");

    long tagKeys = cluster.nodes().stream().mapToLong(n -> ((List<?>) n.command("KEYS", "lc:tags:t:*")).size()).sum();
    assertThat(tagKeys).isEqualTo(2);
    LayerCache<String, String> restarted = layered(instance().createCache("tags", config));
    assertThat(restarted.asJCache().get("many")).isNull();
    assertThat(restarted.asJCache().get("only-tag-11")).isNull();
    assertThat(restarted.asJCache().get("only-tag-4")).isEqualTo("v");
    assertThat(restarted.asJCache().get("untagged")).isEqualTo("v");
    await().atMost(Duration.ofMillis(2500)).until(() -> b.asJCache().get("many") == null);
    assertThat(b.asJCache().get("only-tag-5")).isNull();
    assertThat(b.asJCache().get("only-tag-0")).isEqualTo("v");
  }

  @Test
  void distributedSingleFlightLeasesAndFencedWritesStayInTheEntrysSlot() {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(clusterLayer())
        .setSingleFlight(SingleFlightSettings.distributed(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    LayerCache<String, String> first = layered(instance().createCache("leases", config));
    LayerCache<String, String> second = layered(instance().createCache("leases", config));
    for (int i = 0; i < 50; i++) {
      String key = "key-" + i;
      assertThat(first.get(key, k -> "loaded " + k)).isEqualTo("loaded " + key);
      assertThat(second.get(key, k -> "loaded twice")).isEqualTo("loaded " + key);
    }
    assertThat(first.loadStatistics().leasesTaken()).isEqualTo(50);
    // the leases were released; the fence keys remain (they expire by themselves)
    long leases = cluster.nodes().stream()
        .mapToLong(n -> ((List<?>) n.command("KEYS", "lc:leases:l:*")).size()).sum();
    long fences = cluster.nodes().stream()
        .mapToLong(n -> ((List<?>) n.command("KEYS", "lc:leases:f:*")).size()).sum();
    assertThat(leases).isZero();
    assertThat(fences).isEqualTo(50);
  }

  /** The bus on Cluster uses sharded pub/sub: a change on one instance reaches the other's memory layer. */
  @Test
  void theBusCarriesChangesOverShardedPubSub() {
    RedisLayerSpec layer = clusterLayer();
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(layer)
        .setBus(io.layercache.bus.BusConfig.of(new RedisBusSpec(layer.connection(), "cluster:invalidations"),
            io.layercache.bus.BusSettings.defaults("cluster")));
    LayerCache<String, String> a = layered(instance().createCache("bus", config));
    LayerCache<String, String> b = layered(instance().createCache("bus", config));
    a.asJCache().put("k", "v1");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(b.asJCache().get("k")).isEqualTo("v1");
      assertThat(b.entryInfo("k").orElseThrow().layer()).isEqualTo("memory");
    });

    a.asJCache().put("k", "v2");
    a.deleteByPattern("gone*");

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(b.asJCache().get("k")).isEqualTo("v2"));
    long shardedSubscribers = cluster.nodes().stream()
        .mapToLong(n -> ((List<?>) n.command("PUBSUB", "SHARDCHANNELS")).size()).sum();
    assertThat(shardedSubscribers).as("sharded channels on the cluster's nodes").isPositive();
  }
}
