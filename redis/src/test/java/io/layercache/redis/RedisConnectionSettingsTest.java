package io.layercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SslVerificationMode;

/**
 * Sentinel and TLS settings: read from the configuration file and in code, validated with
 * messages naming the setting, and turned into Redisson's configuration. Connecting for real is
 * {@link RedisSentinelIT}'s and {@link RedisTlsIT}'s job.
 */
class RedisConnectionSettingsTest {

  private static final String PATH = "layercache.default.redis";

  @TempDir
  Path directory;

  private static RedisConnection.Addresses parse(String hocon) {
    var settings = ConfigFactory.parseString(PATH + " { " + hocon + " }")
        .withFallback(ConfigFactory.defaultReference(RedisConnectionSettingsTest.class.getClassLoader()))
        .resolve().getConfig(PATH);
    RedisLayerSpec spec = (RedisLayerSpec) new RedisLayerFactory().parse(settings, PATH,
        RedisConnectionSettingsTest.class.getClassLoader());
    return (RedisConnection.Addresses) spec.connection();
  }

  private Path file(String name, String content) throws Exception {
    return Files.writeString(directory.resolve(name), content);
  }

  @Test
  void sentinelModeReadsTheMasterNameAndTheSentinels() {
    RedisConnection.Addresses a = parse("""
        mode = sentinel, master-name = mymaster
        nodes = ["redis://s1:26379", "redis://s2:26379", "redis://s3:26379"]
        """);
    assertThat(a.mode()).isEqualTo(RedisConnection.Mode.SENTINEL);
    assertThat(a.masterName()).isEqualTo("mymaster");
    assertThat(a.addresses()).hasSize(3);
    assertThat(a).isEqualTo(RedisConnection.Addresses.sentinel("mymaster",
        List.of("redis://s1:26379", "redis://s2:26379", "redis://s3:26379")));
    Config redisson = RedisClients.configOf(a);
    assertThat(redisson.useSentinelServers().getMasterName()).isEqualTo("mymaster");
    assertThat(redisson.useSentinelServers().getReadMode()).as("never read a lagging replica").isEqualTo(ReadMode.MASTER);
  }

  @Test
  void sentinelModeNeedsAMasterNameAndSentinels() {
    assertThatThrownBy(() -> parse("mode = sentinel, nodes = [\"redis://s1:26379\"]"))
        .hasMessage(PATH + ": redis.master-name is required with redis.mode = sentinel");
    assertThatThrownBy(() -> parse("mode = sentinel, master-name = m"))
        .hasMessage(PATH + ": redis.nodes must list at least one Sentinel with redis.mode = sentinel");
    assertThatThrownBy(() -> parse("mode = cluster"))
        .hasMessage(PATH + ": redis.nodes must list at least one cluster node with redis.mode = cluster");
  }

  @Test
  void theTlsSectionReadsItsFiles() throws Exception {
    Path ca = file("ca.pem", "not read until the client is created");
    Path keys = file("client.p12", "x");
    RedisConnection.Addresses a = parse("""
        address = "rediss://redis.internal:6380"
        tls { ca-file = "%s", keystore = "%s", keystore-password = secret, verify-hostname = false }
        """.formatted(ca, keys));
    assertThat(a.usesTls()).isTrue();
    assertThat(a.tls()).isEqualTo(RedisConnection.Tls.trustingCa(ca).withClientKeystore(keys, "secret")
        .withVerifyHostname(false));
    assertThat(a.toString()).contains("ca-file=" + ca).doesNotContain("secret");

    Path store = file("trust.p12", "x");
    assertThat(parse("""
        address = "rediss://redis.internal:6380"
        tls { truststore = "%s", truststore-password = changeit }
        """.formatted(store)).tls()).isEqualTo(RedisConnection.Tls.trustStore(store, "changeit"));
    assertThat(parse("address = \"rediss://redis.internal:6380\"").tls()).isEqualTo(RedisConnection.Tls.DEFAULT);
  }

  @Test
  void tlsMistakesNameTheSetting() throws Exception {
    Path ca = file("ca.pem", "x");
    String rediss = "address = \"rediss://h:6380\"\n";
    assertThatThrownBy(() -> parse(rediss + "tls.ca-file = \"" + directory.resolve("missing.pem") + "\""))
        .hasMessage(PATH + ": redis.tls.ca-file: cannot read " + directory.resolve("missing.pem") + " (no such file)");
    assertThatThrownBy(() -> parse(rediss + "tls { ca-file = \"" + ca + "\", truststore = \"" + ca + "\" }"))
        .hasMessage(PATH + ": redis.tls.ca-file and redis.tls.truststore are both set; set one of them");
    assertThatThrownBy(() -> parse(rediss + "tls.keystore = \"" + ca + "\""))
        .hasMessage(PATH + ": redis.tls.keystore-password is required with redis.tls.keystore");
    assertThatThrownBy(() -> parse(rediss + "tls.truststore-password = x"))
        .hasMessage(PATH + ": redis.tls.truststore-password is set without redis.tls.truststore");
    assertThatThrownBy(() -> parse(rediss + "tls.verify-hostname = maybe"))
        .hasMessageStartingWith(PATH + ".tls.verify-hostname: ");
    assertThatThrownBy(() -> parse(rediss + "tls.ca-file = \"\""))
        .hasMessage(PATH + ".tls.ca-file must be a file path or null, was ''");
    assertThatThrownBy(() -> parse("address = \"redis://h:6379\", tls.ca-file = \"" + ca + "\""))
        .hasMessage(PATH + ": redis.tls is set but no address uses rediss://; write the redis.address as "
            + "rediss://host:port to connect over TLS");
    assertThatThrownBy(() -> parse("mode = cluster, nodes = [\"rediss://a:7000\", \"redis://b:7000\"]"))
        .hasMessageContaining("mix redis:// and rediss://");
  }

  @Test
  void tlsFilesAreReadWhenTheClientIsConfiguredAndTheirErrorsNameTheSetting() throws Exception {
    var notPem = RedisConnection.Addresses.standalone("rediss://h:6380")
        .withTls(RedisConnection.Tls.trustingCa(file("ca.pem", "-----BEGIN CERTIFICATE-----\nnope\n")));
    assertThatThrownBy(() -> RedisClients.configOf(notPem)).hasMessageStartingWith("redis.tls.ca-file: ")
        .hasMessageContaining("is not a PEM file of certificates");
    var empty = RedisConnection.Addresses.standalone("rediss://h:6380")
        .withTls(RedisConnection.Tls.trustingCa(file("empty.pem", "")));
    assertThatThrownBy(() -> RedisClients.configOf(empty)).hasMessageStartingWith("redis.tls.ca-file: ");

    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    Path p12 = directory.resolve("store.p12");
    try (var out = Files.newOutputStream(p12)) {
      store.store(out, "right".toCharArray());
    }
    var wrongPassword = RedisConnection.Addresses.standalone("rediss://h:6380")
        .withTls(RedisConnection.Tls.trustStore(p12, "wrong"));
    assertThatThrownBy(() -> RedisClients.configOf(wrongPassword))
        .hasMessageStartingWith("redis.tls.truststore: cannot open " + p12).hasMessageContaining("password");
    var noKey = RedisConnection.Addresses.standalone("rediss://h:6380")
        .withTls(RedisConnection.Tls.DEFAULT.withClientKeystore(p12, "right"));
    assertThatThrownBy(() -> RedisClients.configOf(noKey))
        .hasMessage("redis.tls.keystore: " + p12 + " holds no private key (a client certificate needs its key)");
  }

  @Test
  void redissonChecksTheHostNameUnlessTurnedOff() throws Exception {
    var strict = RedisConnection.Addresses.standalone("rediss://h:6380");
    assertThat(RedisClients.configOf(strict).getSslVerificationMode()).isEqualTo(SslVerificationMode.STRICT);
    var caOnly = strict.withTls(RedisConnection.Tls.DEFAULT.withVerifyHostname(false));
    assertThat(RedisClients.configOf(caOnly).getSslVerificationMode()).isEqualTo(SslVerificationMode.CA_ONLY);
  }
}
