package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code bus.nats}: defaults, every setting, and errors naming the setting. */
class NatsBusFactoryTest {

  private final NatsBusFactory factory = new NatsBusFactory();

  private NatsBusSpec parse(String hocon) {
    Config cache = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference(getClass()
        .getClassLoader())).resolve().getConfig("layercache.default");
    return (NatsBusSpec) factory.parse(cache, "layercache.default", getClass().getClassLoader());
  }

  @Test
  void theDefaultsAreCoreNatsOnTheLocalServer() {
    NatsBusSpec spec = parse("layercache.default.bus.source = host-1");
    String url = System.getenv("NATS_URL");
    assertThat(spec.mode()).isEqualTo(NatsBusSpec.Mode.CORE);
    assertThat(spec.connection().servers()).containsExactly(url == null ? "nats://127.0.0.1:4222" : url);
    assertThat(spec.connection().name()).isEqualTo("layercache host-1");
    assertThat(spec.connection().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(spec.connection().reconnectWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(spec.subject()).isEqualTo("cache.invalidations");
    assertThat(spec.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(spec.jetStream()).isNull();
  }

  @Test
  void everyJetStreamSettingIsReadAndMaxAgeFollowsTheReplayWindow() {
    NatsBusSpec spec = parse("""
        layercache.default.bus {
          dedupe.ttl = 7m
          nats {
            mode = jetstream
            servers = ["nats://n1:4222", "tls://n2:4222"]
            connection-name = orders-7
            username = svc
            password = secret
            connect-timeout = 3s
            reconnect-wait = 250ms
            request-timeout = 4s
            subject = "app.cache.inv"
            jetstream {
              stream = APP_INV
              durable-name = orders-7
              storage = memory
              max-msgs = 100000
              replicas = 3
              ack-wait = 10s
              max-deliver = 4
              ensure-stream = false
              ensure-consumer = false
            }
          }
        }
        """);
    assertThat(spec.mode()).isEqualTo(NatsBusSpec.Mode.JETSTREAM);
    assertThat(spec.connection().servers()).containsExactly("nats://n1:4222", "tls://n2:4222");
    assertThat(spec.connection().username()).isEqualTo("svc");
    assertThat(spec.connection().toString()).doesNotContain("secret");
    assertThat(spec.requestTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(spec.subject()).isEqualTo("app.cache.inv");
    assertThat(spec.jetStream()).isEqualTo(new JetStreamSpec("APP_INV", "orders-7", JetStreamSpec.Storage.MEMORY,
        Duration.ofMinutes(7), 100_000, 3, Duration.ofSeconds(10), 4, false, false));
  }

  @Test
  void serversMayBeACommaSeparatedString() {
    NatsBusSpec spec = parse("layercache.default.bus.nats.servers = \"nats://a:4222, nats://b:4222\"");
    assertThat(spec.connection().servers()).containsExactly("nats://a:4222", "nats://b:4222");
    assertThat(parse("layercache.default.bus.nats { mode = jetstream, jetstream { durable-name = x, max-age = 1h } }")
        .jetStream().maxAge()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void errorsNameTheSetting() {
    assertThatThrownBy(() -> parse("layercache.default.bus.nats.mode = jetstream"))
        .hasMessageContaining("bus.nats.jetstream.durable-name is required with bus.nats.mode = jetstream");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats.mode = queue"))
        .hasMessageContaining("bus.nats.mode must be core or jetstream, was 'queue'");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats.subject = \"cache.*\""))
        .hasMessageContaining("bus.nats.subject");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats.servers = \"redis://x:6379\""))
        .hasMessageContaining("bus.nats.servers: 'redis://x:6379'");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats { token = t, username = u, password = p }"))
        .hasMessageContaining("bus.nats.token and bus.nats.username exclude each other");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats.username = u"))
        .hasMessageContaining("bus.nats.username and bus.nats.password go together");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats.request-timeout = 0s"))
        .hasMessageContaining("bus.nats.request-timeout must be positive");
    String js = "layercache.default.bus.nats { mode = jetstream, jetstream { durable-name = d, ";
    assertThatThrownBy(() -> parse(js + "storage = tape } }"))
        .hasMessageContaining("bus.nats.jetstream.storage must be file or memory, was 'tape'");
    assertThatThrownBy(() -> parse(js + "max-deliver = 0 } }"))
        .hasMessageContaining("bus.nats.jetstream.max-deliver must be >= 1");
    assertThatThrownBy(() -> parse(js + "ack-wait = 0s } }"))
        .hasMessageContaining("bus.nats.jetstream.ack-wait must be positive");
    assertThatThrownBy(() -> parse(js + "max-msgs = 0 } }"))
        .hasMessageContaining("bus.nats.jetstream.max-msgs must be -1 (no limit) or positive");
    assertThatThrownBy(() -> parse(js + "stream = \"a.b\" } }"))
        .hasMessageContaining("bus.nats.jetstream.stream must match");
    assertThatThrownBy(() -> parse("layercache.default.bus.nats { mode = jetstream, jetstream.durable-name = \"a b\" }"))
        .hasMessageContaining("bus.nats.jetstream.durable-name must match");
    assertThatThrownBy(() -> parse(js + "replicas = 7 } }"))
        .hasMessageContaining("bus.nats.jetstream.replicas must be within 1 and 5");
  }

  @Test
  void aCoreBusTakesNoJetStreamSettingsInCode() {
    NatsConnectionSpec connection = NatsConnectionSpec.of("nats://127.0.0.1:4222");
    assertThatThrownBy(() -> new NatsBusSpec(NatsBusSpec.Mode.CORE, connection, "s", Duration.ofSeconds(1),
        JetStreamSpec.of("d"))).hasMessageContaining("bus.nats.jetstream applies to bus.nats.mode = jetstream only");
    assertThatThrownBy(() -> new NatsBusSpec(NatsBusSpec.Mode.JETSTREAM, connection, "s", Duration.ofSeconds(1), null))
        .hasMessageContaining("bus.nats.jetstream.durable-name is required");
    assertThat(NatsConnectionSpec.of("nats://u:pw@h:4222").describe()).isEqualTo("nats://***@h:4222");
    assertThat(NatsBusSpec.jetStream(connection, JetStreamSpec.of("d")))
        .isEqualTo(NatsBusSpec.jetStream(connection, JetStreamSpec.of("d")));
  }

  @Test
  void subjectsMatchLikeTheServer() {
    assertThat(Subjects.covers("cache.invalidations", "cache.invalidations")).isTrue();
    assertThat(Subjects.covers("cache.*", "cache.invalidations")).isTrue();
    assertThat(Subjects.covers("cache.>", "cache.invalidations.x")).isTrue();
    assertThat(Subjects.covers(">", "a")).isTrue();
    assertThat(Subjects.covers("cache.*", "cache.a.b")).isFalse();
    assertThat(Subjects.covers("cache.>", "cache")).isFalse();
    assertThat(Subjects.covers("other", "cache")).isFalse();
  }
}
