package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.layer.LoadLeases;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The lease-release channel on a real Redis: a watch hears the releases of its own lease key
 * only, and leaves nothing behind once closed.
 */
@ExtendWith(RedisServerExtension.class)
class LeaseReleasesIT {

  private final RedisServer redis;
  private RedissonClient client;
  private LeaseReleases releases;

  LeaseReleasesIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void connect() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    client = Redisson.create(config);
    releases = new LeaseReleases(client, "lr");
  }

  @AfterEach
  void disconnect() {
    releases.close();
    client.shutdown();
  }

  @Test
  void aWatchHearsOnlyItsOwnKeyAndNothingOnceClosed() {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    LoadLeases.Watch one = releases.watch("lr:c:l:{sone}", value -> first.incrementAndGet());
    LoadLeases.Watch two = releases.watch("lr:c:l:{stwo}", value -> second.incrementAndGet());
    await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() == 1);
    await("live once subscribed: waiters may poll less").atMost(Duration.ofSeconds(10)).until(one::isLive);

    redis.command("PUBLISH", releases.channel(), "lr:c:l:{sone}");
    await().atMost(Duration.ofSeconds(10)).until(() -> first.get() == 1);
    assertThat(second).hasValue(0);

    one.close();
    assertThat(releases.watchedKeys()).isEqualTo(1);
    redis.command("PUBLISH", releases.channel(), "lr:c:l:{sone}");
    redis.command("PUBLISH", releases.channel(), "lr:c:l:{stwo}");
    await().atMost(Duration.ofSeconds(10)).until(() -> second.get() == 1); // delivered in order: "one" came first
    assertThat(first).as("a closed watch hears nothing").hasValue(1);

    two.close();
    assertThat(releases.watchedKeys()).isZero();
    releases.close();
    assertThat(two.isLive()).as("not live once closed").isFalse();
  }

  @Test
  void strayMessagesOnTheChannelWakeNobody() {
    AtomicInteger heard = new AtomicInteger();
    AtomicInteger sentinel = new AtomicInteger();
    releases.watch("lr:c:l:{sk}", value -> heard.incrementAndGet());
    releases.watch("lr:c:l:{ssentinel}", value -> sentinel.incrementAndGet());
    await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() == 1);

    redis.command("PUBLISH", releases.channel(), "not a lease key");
    redis.command("PUBLISH", releases.channel(), "");
    redis.command("PUBLISH", releases.channel(), "lr:c:l:{sk-other}");
    redis.command("PUBLISH", releases.channel(), "lr:c:l:{ssentinel}"); // delivered after the others
    await().atMost(Duration.ofSeconds(10)).until(() -> sentinel.get() == 1);
    assertThat(heard).hasValue(0);
  }

  private long subscribers() {
    java.util.List<?> reply = (java.util.List<?>) redis.command("PUBSUB", "NUMSUB", releases.channel());
    return Long.parseLong(String.valueOf(reply.get(1)));
  }
}
