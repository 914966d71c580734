package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.layer.LoadLeases;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    LoadLeases.Watch one = releases.watch("lr:c:l:{sone}", notice -> first.incrementAndGet());
    LoadLeases.Watch two = releases.watch("lr:c:l:{stwo}", notice -> second.incrementAndGet());
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
    releases.watch("lr:c:l:{sk}", notice -> heard.incrementAndGet());
    releases.watch("lr:c:l:{ssentinel}", notice -> sentinel.incrementAndGet());
    await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() == 1);

    redis.command("PUBLISH", releases.channel(), "not a lease key");
    redis.command("PUBLISH", releases.channel(), "");
    redis.command("PUBLISH", releases.channel(), "lr:c:l:{sk-other}");
    redis.command("PUBLISH", releases.channel(), "lr:c:l:{ssentinel}"); // delivered after the others
    await().atMost(Duration.ofSeconds(10)).until(() -> sentinel.get() == 1);
    assertThat(heard).hasValue(0);
  }

  /**
   * Notices carrying a value: a signed one hands its watcher the value; one signed with another
   * key, and every truncation of a signed one, hands it none, and nothing malformed wakes anybody
   * or throws (the sentinel, published last, is heard).
   */
  @Test
  void aValueReachesTheWatcherOnlyInAWellFormedNoticeSignedWithTheNamespacesKey() {
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.command("GET", "lr:lease-notice-key") != null);
    byte[] value = "an envelope".getBytes(StandardCharsets.UTF_8);
    await("the notice key read back").atMost(Duration.ofSeconds(10))
        .until(() -> releases.notices().header("lr:c:l:{sk}", 42L, value).length > 0);
    byte[] signed = concat(releases.notices().header("lr:c:l:{sk}", 42L, value), value);
    List<ReleaseNotices.Notice> heard = new CopyOnWriteArrayList<>();
    AtomicInteger sentinel = new AtomicInteger();
    releases.watch("lr:c:l:{sk}", heard::add);
    releases.watch("lr:c:l:{ssentinel}", notice -> sentinel.incrementAndGet());
    await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() == 1);

    redis.publishRaw(releases.channel(), signed);
    await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
    assertThat(heard.get(0).value()).isEqualTo(value);
    assertThat(heard.get(0).fence()).as("the lease the value was loaded under").isEqualTo(42L);

    try (ForeignKey other = new ForeignKey(redis.uri())) {
      redis.publishRaw(releases.channel(), concat(other.notices.header("lr:c:l:{sk}", 42L, value), value));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
    assertThat(heard.get(1).value()).as("signed with another key").isNull();
    assertThat(heard.get(1).unverified()).isTrue();

    for (int length = 1; length < signed.length; length++) {
      redis.publishRaw(releases.channel(), java.util.Arrays.copyOf(signed, length));
    }
    redis.publishRaw(releases.channel(), "lr:c:l:{ssentinel}".getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(10)).until(() -> sentinel.get() == 1);
    List<ReleaseNotices.Notice> truncated = heard.subList(2, heard.size());
    assertThat(truncated).as("truncations that still hold the key and a signature: one per shorter value")
        .hasSize(value.length).allSatisfy(notice -> {
      assertThat(notice.value()).isNull();
      assertThat(notice.unverified()).isTrue();
    });
    byte[] otherFence = signed.clone();
    otherFence[3 + 2 + "lr:c:l:{sk}".length() + 7] ^= 1; // the token's last byte: covered by the signature
    redis.publishRaw(releases.channel(), otherFence);
    redis.publishRaw(releases.channel(), "lr:c:l:{ssentinel}".getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(10)).until(() -> sentinel.get() == 2);
    assertThat(heard.get(heard.size() - 1).value()).as("another token, same signature").isNull();
  }

  /** The notices of another deployment's key: a second Redis namespace's key, copied under this one's name. */
  private static final class ForeignKey implements AutoCloseable {
    final RedissonClient client;
    final ReleaseNotices notices;

    ForeignKey(String uri) {
      Config config = new Config();
      config.useSingleServer().setAddress(uri);
      client = Redisson.create(config);
      notices = new ReleaseNotices(client, "foreign");
      await().atMost(Duration.ofSeconds(10)).until(() -> notices.header("k", 1L, new byte[1]).length > 0);
    }

    @Override
    public void close() {
      client.shutdown();
    }
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  private long subscribers() {
    java.util.List<?> reply = (java.util.List<?>) redis.command("PUBSUB", "NUMSUB", releases.channel());
    return Long.parseLong(String.valueOf(reply.get(1)));
  }
}
