package io.layercache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisServerTest {

  @Test
  void aStartedServerAnswersAndComesBackEmptyAfterAKill(RedisServer redis) {
    redis.command("SET", "k", "v");
    assertThat(RespClient.text(redis.command("GET", "k"))).isEqualTo("v");
    redis.kill();
    assertThat(redis.isAlive()).isFalse();
    redis.restart();
    assertThat(redis.command("GET", "k")).isNull();
  }

  @Test
  void aPausedServerDoesNotAnswerUntilResumed(RedisServer redis) {
    redis.pause();
    try {
      assertThatThrownBy(() -> redis.command(Duration.ofMillis(300), "PING")).isInstanceOf(UncheckedIOException.class);
    } finally {
      redis.resume();
    }
    assertThat(redis.command("PING")).isEqualTo("PONG");
  }

  @Test
  void aClusterOfThreeMastersServesEverySlot() {
    try (RedisCluster cluster = RedisCluster.start()) {
      assertThat(cluster.nodes()).hasSize(3);
      String info = RespClient.text(cluster.nodes().get(0).command("CLUSTER", "INFO"));
      assertThat(info).contains("cluster_slots_assigned:16384").contains("cluster_state:ok");
    }
  }
}
