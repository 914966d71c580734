package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.testsupport.RedisCluster;
import io.layercache.testsupport.RedisServer;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.TagSettings;
import java.time.Duration;
import static org.awaitility.Awaitility.await;
import org.junit.jupiter.api.Test;

/**
 * The Redis layer on a real three-master Redis Cluster: the {@link RedisTopologyContract}, and
 * entries spread over every master (each entry's operations stay in its slot, so the scripts
 * stay legal).
 */
class RedisClusterIT extends RedisTopologyContract {

  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected RedisConnection connection() {
    return RedisConnection.Addresses.cluster(cluster.uris());
  }

  @Override
  protected long countKeys(String pattern) {
    return cluster.nodes().stream().mapToLong(n -> ((List<?>) n.command("KEYS", pattern)).size()).sum();
  }

  @Override
  protected void deleteKey(String key) {
    for (RedisServer node : cluster.nodes()) {
      try {
        node.command("DEL", key);
      } catch (UncheckedIOException movedToAnotherNode) {
        // only the node owning the key's slot deletes it
      }
    }
  }

  @Test
  void entriesSpreadOverEveryMaster() {
    Cache<String, String> cache = instance().createCache("spread", memoryAndRedis(layer()));
    for (int i = 0; i < 300; i++) {
      cache.put("key-" + i, "value-" + i);
    }
    Set<Integer> nodesHoldingKeys = new HashSet<>();
    for (RedisServer node : cluster.nodes()) {
      if (!((List<?>) node.command("KEYS", "lc:spread:*")).isEmpty()) {
        nodesHoldingKeys.add(node.port());
      }
    }
    assertThat(nodesHoldingKeys).hasSize(3);
  }

  /** On Cluster the bus uses sharded pub/sub (the contract's bus test checks what it carries). */
  @Test
  void theBusSubscribesWithShardedPubSub() {
    var withBus = RedisStackFixture.<String, String>memoryAndRedis(layer()).setBus(io.layercache.bus.BusConfig.of(
        new RedisBusSpec(connection(), "cluster:invalidations"), io.layercache.bus.BusSettings.defaults("cluster")));
    instance().createCache("sharded", withBus);
    long shardChannels = cluster.nodes().stream()
        .mapToLong(n -> ((List<?>) n.command("PUBSUB", "SHARDCHANNELS")).size()).sum();
    long classicChannels = cluster.nodes().stream()
        .mapToLong(n -> ((List<?>) n.command("PUBSUB", "CHANNELS")).size()).sum();
    org.assertj.core.api.Assertions.assertThat(shardChannels).as("sharded channels").isEqualTo(1);
    org.assertj.core.api.Assertions.assertThat(classicChannels).as("classic channels").isZero();
  }

  @Test
  void tagInvalidationsAreSharedThroughTagKeysSpreadOverTheCluster() {
    LayerCacheConfiguration<String, String> config = RedisStackFixture.<String, String>memoryAndRedis(layer())
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
}
