package io.layercache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} listening on a TLS port only ({@code rediss://}), with a throwaway
 * CA made at start and an ACL user, for tests that connect the way a production deployment
 * should: encrypted, the server's certificate checked against a private CA, as a user with only
 * the permissions it needs.
 *
 * <ul>
 *   <li>The server's certificate is signed by a CA generated for this server alone (see
 *       {@link TestCertificates}) and names {@code 127.0.0.1} and {@code localhost}, so host-name
 *       verification passes. The CA is offered as a PEM file ({@link #caFile()}) and as a PKCS12
 *       trust store ({@link #truststore()}).
 *   <li>Clients may present a certificate ({@code tls-auth-clients optional}): one signed by the CA
 *       is in {@link #clientKeystore()}; one signed by another CA is refused by the server.
 *   <li>{@link #untrustedCaFile()} is a CA that signed nothing here: a client trusting only it
 *       must fail the handshake.
 *   <li>The harness's own commands ({@link #server()}) also go over TLS, as the default user.
 * </ul>
 */
public final class RedisTls implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTls.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisServer server;
  private final Path directory;
  private final String username;
  private final String password;
  private final String storePassword;

  private RedisTls(RedisServer server, Path directory, String username, String password, String storePassword) {
    this.server = server;
    this.directory = directory;
    this.username = username;
    this.password = password;
    this.storePassword = storePassword;
  }

  /**
   * Makes the certificates, starts the server and creates the ACL user {@code username} with a
   * random password and the given rules (the {@code ACL SETUSER} rules after {@code on} and the
   * password, e.g. {@code resetkeys ~lc:* -@all +@read …}).
   */
  public static RedisTls start(String username, List<String> permissions) {
    Path directory;
    try {
      directory = Files.createTempDirectory("redis-tls-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String storePassword = randomSecret();
    TestCertificates.Issued ca = TestCertificates.authority("LayerCache test CA " + directory.getFileName());
    TestCertificates.Issued serverCertificate = TestCertificates.issue(ca, "localhost");
    TestCertificates.Issued client = TestCertificates.issue(ca, "layercache-client");
    ca.writeCertificate(directory.resolve("ca.crt"));
    TestCertificates.writeTruststore(directory.resolve("truststore.p12"), storePassword, ca.certificate());
    client.writeKeystore(directory.resolve("client.p12"), storePassword, ca.certificate());
    TestCertificates.authority("Untrusted test CA").writeCertificate(directory.resolve("untrusted-ca.crt"));

    List<String> tlsArgs = List.of(
        "--tls-cert-file", serverCertificate.writeCertificate(directory.resolve("server.crt")).toString(),
        "--tls-key-file", serverCertificate.writeKey(directory.resolve("server.key")).toString(),
        "--tls-ca-cert-file", directory.resolve("ca.crt").toString(),
        "--tls-auth-clients", "optional");
    RedisServer server = RedisServer.startTls(tlsArgs, controlContext(ca));
    try {
      String password = randomSecret();
      List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", username, "reset", "on", ">" + password));
      setUser.addAll(permissions);
      server.command(setUser.toArray(String[]::new));
      LOG.info("TLS redis-server on {} with ACL user {} and CA {}", server.uri(), username, directory.resolve("ca.crt"));
      return new RedisTls(server, directory, username, password, storePassword);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The address, {@code rediss://127.0.0.1:PORT}. */
  public String uri() {
    return server.uri();
  }

  /** The server, for commands, kills and pauses; its commands go over TLS as the default user. */
  public RedisServer server() {
    return server;
  }

  /** The ACL user's name. */
  public String username() {
    return username;
  }

  /** The ACL user's password, random for each start. */
  public String password() {
    return password;
  }

  /** The CA certificate that signed the server's certificate, as PEM. */
  public Path caFile() {
    return directory.resolve("ca.crt");
  }

  /** The same CA in a PKCS12 trust store, opened with {@link #storePassword()}. */
  public Path truststore() {
    return directory.resolve("truststore.p12");
  }

  /** A PKCS12 key store with a client certificate signed by the CA, opened with {@link #storePassword()}. */
  public Path clientKeystore() {
    return directory.resolve("client.p12");
  }

  /** The password of {@link #truststore()} and {@link #clientKeystore()}. */
  public String storePassword() {
    return storePassword;
  }

  /** A CA certificate (PEM) that signed nothing of this server. */
  public Path untrustedCaFile() {
    return directory.resolve("untrusted-ca.crt");
  }

  @Override
  public void close() {
    server.close();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private static SSLContext controlContext(TestCertificates.Issued ca) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the harness's TLS context", e);
    }
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
