package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.testsupport.RedisTls;
import io.layercache.testsupport.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis layer over TLS ({@code rediss://}) as the least-privilege ACL user of
 * {@link LeastPrivilegeAclIT}, the server's certificate checked against a private CA: the
 * {@link RedisTopologyContract}, the other ways to trust and to present a client certificate,
 * the configuration file's {@code redis.tls} section, and the error when the CA is wrong.
 */
class RedisTlsIT extends RedisTopologyContract {

  private static RedisTls tls;

  @BeforeAll
  static void startServer() {
    // the layer's permissions and the invalidation bus's channel rule (docs/redis.md)
    tls = RedisTls.start("layercache", java.util.stream.Stream.concat(LeastPrivilegeAclIT.PERMISSIONS.stream(),
        LeastPrivilegeAclIT.BUS_RULES.stream()).toList());
    tls.server().command("ACL", "LOG", "RESET");
  }

  /** As the server's administrator: the layer's user may not ask (its ACL grants no PUBSUB). */
  @Override
  protected long subscribers(String channel) {
    List<?> reply = (List<?>) tls.server().command("PUBSUB", "NUMSUB", channel);
    return Long.parseLong(String.valueOf(reply.get(1)));
  }

  /** Over every test of the class: Redis denied the layer nothing but Redisson's connect-time probe. */
  @AfterAll
  static void checkNothingWasDeniedAndStop() {
    try {
      List<?> log = (List<?>) tls.server().command("ACL", "LOG");
      assertThat(log).as("commands Redis denied to the layer")
          .allSatisfy(LeastPrivilegeAclIT::assertIsRedissonsClusterProbe);
    } finally {
      tls.close();
    }
  }

  @Override
  protected RedisConnection connection() {
    return RedisConnection.Addresses.standalone(tls.uri()).withCredentials(tls.username(), tls.password())
        .withTls(RedisConnection.Tls.trustingCa(tls.caFile()));
  }

  @Override
  protected long countKeys(String pattern) {
    return ((List<?>) tls.server().command("KEYS", pattern)).size();
  }

  @Override
  protected void deleteKey(String key) {
    tls.server().command("DEL", key);
  }

  @Test
  void theLayerConnectsOverTlsAsTheAclUserOnly() {
    Cache<String, String> cache = instance().createCache("who", memoryAndRedis(layer()));
    cache.put("k", "v");

    List<String> clients = Arrays.stream(RespClient.text(tls.server().command("CLIENT", "LIST")).split("\n"))
        .filter(line -> !line.isBlank() && !line.contains("cmd=client|list")).toList();
    assertThat(clients).as("the layer's connections").isNotEmpty()
        .allSatisfy(client -> assertThat(client).contains("user=layercache"));
  }

  @Test
  void aTrustStoreAndAClientCertificateConnectToo() {
    RedisConnection.Addresses withStores = RedisConnection.Addresses.standalone(tls.uri())
        .withCredentials(tls.username(), tls.password())
        .withTls(RedisConnection.Tls.trustStore(tls.truststore(), tls.storePassword())
            .withClientKeystore(tls.clientKeystore(), tls.storePassword()));
    Cache<String, String> cache = instance().createCache("stores", memoryAndRedis(RedisLayerSpec.of(withStores)));
    cache.put("k", "v");
    assertThat(instance().createCache("stores", memoryAndRedis(layer())).get("k")).isEqualTo("v");
  }

  @Test
  void aServerCertificateOfAnUntrustedCaFailsWithAClearError() {
    RedisConnection.Addresses wrongCa = RedisConnection.Addresses.standalone(tls.uri())
        .withCredentials(tls.username(), tls.password())
        .withTls(RedisConnection.Tls.trustingCa(tls.untrustedCaFile()));
    assertThatThrownBy(() -> instance().createCache("wrong-ca", memoryAndRedis(RedisLayerSpec.of(wrongCa))))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("TLS handshake with [" + tls.uri() + "] failed")
        .hasMessageContaining("redis.tls.ca-file (" + tls.untrustedCaFile() + ")");

    RedisConnection.Addresses jvmTrust = RedisConnection.Addresses.standalone(tls.uri())
        .withCredentials(tls.username(), tls.password());
    assertThatThrownBy(() -> instance().createCache("jvm-trust", memoryAndRedis(RedisLayerSpec.of(jvmTrust))))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("the JVM's trust store (set redis.tls.ca-file or redis.tls.truststore for a private CA)");
  }

  @Test
  void theConfigurationFileConfiguresTlsAndTheAclUser(@TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("tls.conf"), """
        layercache.caches.orders {
          layers = [memory, redis]
          redis {
            address = "%s"
            username = "%s"
            password = "%s"
            tls.ca-file = "%s"
          }
        }
        """.formatted(tls.uri(), tls.username(), tls.password(), tls.caFile()));
    Cache<Object, Object> orders = instance(file).getCache("orders");
    orders.put("o-1", "shipped");

    assertThat(tls.server().command("EXISTS", "lc:orders:e:{so-1}")).isEqualTo(1L);
    assertThat(instance(file).getCache("orders").get("o-1")).isEqualTo("shipped");
  }
}
