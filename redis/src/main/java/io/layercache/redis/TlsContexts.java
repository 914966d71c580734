package io.layercache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads the files of {@link RedisConnection.Tls} into the JDK's trust and key managers that
 * Redisson's TLS handler takes.
 *
 * <p>LayerCache reads them itself rather than passing their paths to Redisson: Redisson opens
 * them on every new connection, so a missing file or a wrong password would only surface as a
 * connection failure, whereas here it fails the cache's creation with a message naming the
 * setting. It also lets a plain PEM CA file be trusted, which Redisson's settings do not offer.
 */
final class TlsContexts {

  private TlsContexts() {}

  /** The trust managers for the options, or null when the JVM's default trust store decides. */
  static TrustManagerFactory trustManagers(RedisConnection.Tls tls) {
    KeyStore trusted;
    if (tls.caFile() != null) {
      trusted = caCertificates(tls.caFile());
    } else if (tls.truststore() != null) {
      trusted = open(tls.truststore(), tls.truststorePassword(), "redis.tls.truststore");
    } else {
      return null;
    }
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException((tls.caFile() != null ? "redis.tls.ca-file" : "redis.tls.truststore")
          + ": cannot trust its certificates: " + e.getMessage(), e);
    }
  }

  /** The key managers presenting the client certificate, or null without a key store. */
  static KeyManagerFactory keyManagers(RedisConnection.Tls tls) {
    if (tls.keystore() == null) {
      return null;
    }
    KeyStore keys = open(tls.keystore(), tls.keystorePassword(), "redis.tls.keystore");
    try {
      if (!hasKey(keys)) {
        throw new IllegalArgumentException("redis.tls.keystore: " + tls.keystore().toAbsolutePath()
            + " holds no private key (a client certificate needs its key)");
      }
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, tls.keystorePassword().toCharArray());
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("redis.tls.keystore: cannot use the key of " + tls.keystore().toAbsolutePath()
          + " with redis.tls.keystore-password: " + e.getMessage(), e);
    }
  }

  private static KeyStore caCertificates(Path pem) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pem)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("redis.tls.ca-file: " + pem.toAbsolutePath()
          + " is not a PEM file of certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("redis.tls.ca-file: " + pem.toAbsolutePath() + " holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an in-memory trust store: " + e.getMessage(), e);
    }
  }

  /** Opens a PKCS12 or JKS file (the JDK detects which). */
  private static KeyStore open(Path file, String password, String setting) {
    try {
      return KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      String reason = e.getCause() instanceof java.security.UnrecoverableKeyException ? "wrong password" : e.getMessage();
      throw new IllegalArgumentException(setting + ": cannot open " + file.toAbsolutePath() + " as a PKCS12 or JKS"
          + " store with " + setting + "-password: " + reason, e);
    }
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }
}
