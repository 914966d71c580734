package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.bus.BusSettings;
import io.layercache.testsupport.NatsServer;
import java.time.Duration;
import java.util.List;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

/** The connection settings' credentials against servers that require them. */
class NatsAuthenticationIT extends NatsBusFixture {

  private static final BusSettings SETTINGS = fastSettings();

  @Test
  void aTokenServerAcceptsTheBusWithItsTokenOnly() {
    try (NatsServer server = NatsServer.start(List.of("--auth", "s3cret-token"))) {
      NatsConnectionSpec base = NatsConnectionSpec.of(server.uri()).withTimings(Duration.ofSeconds(1),
          Duration.ofMillis(250));
      Cache<String, String> a = instance("users", NatsBusSpec.core(base.withToken("s3cret-token"))
          .withSubject(subject()), SETTINGS);
      Cache<String, String> b = instance("users", NatsBusSpec.jetStream(base.withToken("s3cret-token"),
          JetStreamSpec.of("b-" + id).withStream(stream())).withSubject(subject()), SETTINGS);
      Cache<String, String> intruder = instance("users", NatsBusSpec.core(base.withToken("wrong"))
          .withSubject(subject()), SETTINGS);
      assertWorks(a, b);
      assertThat(stats(intruder).transportUp()).isFalse();
      await().atMost(WITHIN).untilAsserted(() -> assertThat(stats(intruder).transportDetail())
          .contains("Authorization Violation").doesNotContain("wrong"));
    }
  }

  @Test
  void aUserServerAcceptsTheBusWithItsPassword() {
    try (NatsServer server = NatsServer.start(List.of("--user", "cache", "--pass", "pa55word"))) {
      NatsConnectionSpec base = NatsConnectionSpec.of(server.uri()).withTimings(Duration.ofSeconds(1),
          Duration.ofMillis(250));
      Cache<String, String> a = instance("users", NatsBusSpec.core(base.withUser("cache", "pa55word"))
          .withSubject(subject()), SETTINGS);
      Cache<String, String> b = instance("users", NatsBusSpec.core(base.withUser("cache", "pa55word"))
          .withSubject(subject()), SETTINGS);
      Cache<String, String> intruder = instance("users", NatsBusSpec.core(base.withUser("cache", "guess"))
          .withSubject(subject()), SETTINGS);
      assertWorks(a, b);
      assertThat(stats(intruder).transportUp()).isFalse();
    }
  }

  private static void assertWorks(Cache<String, String> a, Cache<String, String> b) {
    awaitHealthy(a);
    awaitHealthy(b);
    a.put("k", "v1");
    warm(b, "k");
    a.put("k", "v2");
    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.get("k")).isEqualTo("v2"));
  }
}
