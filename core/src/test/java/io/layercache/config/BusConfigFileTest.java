package io.layercache.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusSettings;
import io.layercache.testing.InMemoryBusSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code bus} section of the configuration file: parsing, defaults and errors naming the setting. */
class BusConfigFileTest {

  private final ClassLoader loader = getClass().getClassLoader();
  private final Config reference = ConfigFactory.defaultReference(loader);

  private BusConfig busOf(String hocon, String cache) {
    CacheTemplates templates = ConfigFileReader.templates(ConfigFactory.parseString(hocon).withFallback(reference)
        .resolve(), reference, loader);
    return cache == null ? templates.defaults().getBus() : templates.caches().get(cache).getBus();
  }

  @Test
  void theDefaultIsNoBus() {
    assertThat(busOf("", null).enabled()).isFalse();
  }

  @Test
  void everySettingIsRead() {
    BusConfig bus = busOf("""
        layercache.default.bus {
          type = in-memory
          source = host-1
          subscribe = false
          broadcast-set = false
          broadcast-set-max-bytes = 1000
          max-message-bytes = 65536
          dedupe { max-entries = 50, ttl = 1m }
          retry-queue { enabled = true, max-size = 7 }
          circuit-breaker { failure-threshold = 2, break-duration = 3s }
          heartbeat-interval = 250ms
          reconcile-interval = 2s
          signing { key-id = k9, secret = "0123456789abcdef0123456789abcdef", required = true }
        }
        """, null);
    assertThat(bus.transport()).isInstanceOf(InMemoryBusSpec.class);
    BusSettings s = bus.settings();
    assertThat(s.source()).isEqualTo("host-1");
    assertThat(s.subscribe()).isFalse();
    assertThat(s.broadcastSet()).isFalse();
    assertThat(s.broadcastSetMaxBytes()).isEqualTo(1000);
    assertThat(s.maxMessageBytes()).isEqualTo(65536);
    assertThat(s.trackedSources()).isEqualTo(50);
    assertThat(s.replayWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.retryQueue()).isEqualTo(7);
    assertThat(s.breaker()).isEqualTo(new BusSettings.Breaker(2, Duration.ofSeconds(3)));
    assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.reconcileInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.signing().keyId()).isEqualTo("k9");
    assertThat(s.signing().required()).isTrue();
  }

  @Test
  void aNamedCacheInheritsTheDefaultBusAndMayTurnItOff() {
    String hocon = "layercache.default.bus.type = in-memory\nlayercache.caches { a {}, b { bus.type = none } }";
    assertThat(busOf(hocon, "a").enabled()).isTrue();
    assertThat(busOf(hocon, "b").enabled()).isFalse();
  }

  @Test
  void errorsNameTheSetting() {
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus { type = in-memory, max-message-bytes = 10 }", "a"))
        .hasMessageContaining("layercache.caches.a.bus").hasMessageContaining("bus.max-message-bytes");
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus { type = in-memory, source = \"no spaces\" }", "a"))
        .hasMessageContaining("bus.source");
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus { type = in-memory, signing.required = true }", "a"))
        .hasMessageContaining("bus.signing.required needs bus.signing.secret");
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus { type = in-memory, heartbeat-interval = 0s }", "a"))
        .hasMessageContaining("bus.heartbeat-interval");
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus { type = in-memory, colour = red }", "a"))
        .hasMessageContaining("layercache.caches.a.bus.colour: unknown setting");
  }

  @Test
  void aMissingTransportModuleIsNamed() {
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus.type = nats", "a"))
        .hasMessageContaining("io.layercache:layercache-nats");
    assertThatThrownBy(() -> busOf("layercache.caches.a.bus.type = carrier-pigeon", "a"))
        .hasMessageContaining("Unknown bus.type 'carrier-pigeon'");
  }
}
