package io.layercache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisTlsTest {

  private static RedisTls tls;

  @BeforeAll
  static void start() {
    tls = RedisTls.start("app", List.of("resetkeys", "~app:*", "-@all", "+@read", "+@write", "-@dangerous", "+ping", "+hello"));
  }

  @AfterAll
  static void stop() {
    tls.close();
  }

  @Test
  void theServerSpeaksTlsOnlyWithACertificateOfTheGeneratedCa() throws Exception {
    assertThat(tls.uri()).startsWith("rediss://127.0.0.1:");
    assertThat(tls.server().command("PING")).isEqualTo("PONG");
    assertThat(RespClient.text(tls.server().command("CONFIG", "GET", "port"))).isNotNull();
    assertThatThrownBy(() -> {
      try (RespClient plain = new RespClient("127.0.0.1", tls.server().port(), 1_000)) {
        plain.call("PING");
      }
    }).as("a plain-text client gets no answer").isInstanceOf(IOException.class);
    assertThatThrownBy(() -> new RespClient("127.0.0.1", tls.server().port(), 2_000, trusting(tls.untrustedCaFile())))
        .as("a client trusting another CA").isInstanceOf(SSLException.class);
    try (RespClient viaPem = new RespClient("127.0.0.1", tls.server().port(), 2_000, trusting(tls.caFile()))) {
      assertThat(viaPem.call("PING")).isEqualTo("PONG");
    }
    KeyStore truststore = KeyStore.getInstance(tls.truststore().toFile(), tls.storePassword().toCharArray());
    assertThat(truststore.isCertificateEntry("ca")).isTrue();
    KeyStore client = KeyStore.getInstance(tls.clientKeystore().toFile(), tls.storePassword().toCharArray());
    assertThat(client.isKeyEntry("client")).isTrue();
  }

  @Test
  void theAclUserHasOnlyItsRules() throws Exception {
    try (RespClient user = new RespClient("127.0.0.1", tls.server().port(), 2_000, trusting(tls.caFile()))) {
      assertThat(user.call("AUTH", tls.username(), tls.password())).isEqualTo("OK");
      assertThat(user.call("SET", "app:k", "v")).isEqualTo("OK");
      assertThatThrownBy(() -> user.call("SET", "other:k", "v")).hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> user.call("FLUSHALL")).hasMessageContaining("NOPERM");
    }
  }

  static SSLContext trusting(java.nio.file.Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
