package io.layercache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSentinelTest {

  @Test
  void threeSentinelsPromoteTheReplicaOfAFrozenMasterWhichRejoinsAsAReplica() {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      RedisServer first = sentinel.master();
      RedisServer second = sentinel.replica();
      assertThat(sentinel.sentinelUris()).hasSize(3).allMatch(uri -> uri.startsWith("redis://127.0.0.1:"));
      assertThat(role(first)).isEqualTo("master");
      assertThat(role(second)).isEqualTo("slave");
      first.command("SET", "k", "v");

      Duration failover = sentinel.pauseMaster();

      assertThat(failover).isLessThan(Duration.ofSeconds(30));
      assertThat(sentinel.master()).isSameAs(second);
      assertThat(role(second)).isEqualTo("master");
      assertThat(RespClient.text(second.command("GET", "k"))).as("replicated before the failover").isEqualTo("v");
      assertThatThrownBy(sentinel::killMaster).as("no failover before the former master rejoined")
          .isInstanceOf(IllegalStateException.class);

      sentinel.rejoin();

      assertThat(sentinel.replica()).isSameAs(first);
      assertThat(role(first)).isEqualTo("slave");
      for (RedisServer s : sentinel.sentinels()) {
        List<?> address = (List<?>) s.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", sentinel.masterName());
        assertThat(RespClient.text(address.get(1))).isEqualTo(String.valueOf(second.port()));
      }
    }
  }

  private static String role(RedisServer server) {
    return RespClient.text(((List<?>) server.command("ROLE")).get(0));
  }
}
