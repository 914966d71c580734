package io.layercache.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Throwaway X.509 certificates for TLS tests, made with the JDK alone: a CA and the server and
 * client certificates it signs (ECDSA P-256, valid for two days).
 *
 * <p>The JDK can sign but has no public API to build a certificate, and {@code keytool} would
 * cost a JVM start per step (several seconds for a CA, a server and a client). So the few DER
 * structures of RFC 5280 a certificate needs are written here: a name with one CN, basic
 * constraints, key usage for the CA, and the server's subject alternative names
 * ({@code 127.0.0.1} and {@code localhost}) that host-name verification checks.
 */
final class TestCertificates {

  /** A certificate and its private key. */
  record Issued(X509Certificate certificate, PrivateKey key) {

    /** Writes the certificate as PEM. */
    Path writeCertificate(Path file) {
      return writePem(file, "CERTIFICATE", encoded(certificate));
    }

    /** Writes the key as PEM (PKCS#8, unencrypted), as redis-server's {@code tls-key-file} takes it. */
    Path writeKey(Path file) {
      return writePem(file, "PRIVATE KEY", key.getEncoded());
    }

    /** Writes a PKCS12 key store holding the key, this certificate and the chain above it. */
    Path writeKeystore(Path file, String password, X509Certificate... chain) {
      X509Certificate[] full = new X509Certificate[chain.length + 1];
      full[0] = certificate;
      System.arraycopy(chain, 0, full, 1, chain.length);
      return store(file, password, store -> store.setKeyEntry("client", key, password.toCharArray(), full));
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
  private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
  private static final byte[] BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
  private static final byte[] KEY_USAGE = oid(2, 5, 29, 15);
  private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

  private TestCertificates() {}

  /** A self-signed CA. */
  static Issued authority(String commonName) {
    KeyPair keys = keyPair();
    byte[] caExtensions = sequence(
        extension(BASIC_CONSTRAINTS, true, sequence(tlv(0x01, new byte[] {(byte) 0xFF}))),
        // keyCertSign and cRLSign: bits 5 and 6, one unused bit
        extension(KEY_USAGE, true, tlv(0x03, new byte[] {0x01, 0x06})));
    return sign(commonName, keys, name(commonName), keys.getPrivate(), caExtensions);
  }

  /** A certificate for {@code 127.0.0.1} and {@code localhost}, signed by {@code ca}; good for servers and clients. */
  static Issued issue(Issued ca, String commonName) {
    KeyPair keys = keyPair();
    byte[] names = sequence(tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
        tlv(0x87, new byte[] {127, 0, 0, 1}));
    byte[] leafExtensions = sequence(extension(BASIC_CONSTRAINTS, true, sequence()),
        extension(SUBJECT_ALT_NAME, false, names));
    return sign(commonName, keys, ca.certificate().getSubjectX500Principal().getEncoded(), ca.key(), leafExtensions);
  }

  /** Writes a PKCS12 trust store holding {@code certificate} as a trusted entry. */
  static Path writeTruststore(Path file, String password, X509Certificate certificate) {
    return store(file, password, store -> store.setCertificateEntry("ca", certificate));
  }

  private static Issued sign(String subject, KeyPair subjectKeys, byte[] issuer, PrivateKey issuerKey,
      byte[] extensions) {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    byte[] serial = new byte[12];
    RANDOM.nextBytes(serial);
    serial[0] &= 0x7F;
    serial[0] |= 0x01;
    byte[] tbs = sequence(
        tlv(0xA0, tlv(0x02, new byte[] {2})),
        tlv(0x02, new BigInteger(serial).toByteArray()),
        sequence(tlv(0x06, ECDSA_WITH_SHA256)),
        issuer,
        sequence(time(now.minusHours(1)), time(now.plusDays(2))),
        name(subject),
        subjectKeys.getPublic().getEncoded(),
        tlv(0xA3, extensions));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(issuerKey);
      signer.update(tbs);
      byte[] signatureBits = concat(new byte[] {0}, signer.sign());
      byte[] der = sequence(tbs, sequence(tlv(0x06, ECDSA_WITH_SHA256)), tlv(0x03, signatureBits));
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
      return new Issued(certificate, subjectKeys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate for " + subject, e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make EC P-256 keys", e);
    }
  }

  private static byte[] name(String commonName) {
    return sequence(tlv(0x31, sequence(tlv(0x06, COMMON_NAME), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] time(ZonedDateTime at) {
    return tlv(0x17, UTC_TIME.format(at).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] extension(byte[] oid, boolean critical, byte[] value) {
    return critical
        ? sequence(tlv(0x06, oid), tlv(0x01, new byte[] {(byte) 0xFF}), tlv(0x04, value))
        : sequence(tlv(0x06, oid), tlv(0x04, value));
  }

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  /** One DER element: tag, definite length, contents. */
  private static byte[] tlv(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = contents.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] digits = BigInteger.valueOf(length).toByteArray();
      int skip = digits[0] == 0 ? 1 : 0;
      out.write(0x80 | (digits.length - skip));
      out.write(digits, skip, digits.length - skip);
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int groups = 1;
      while ((arc >>> (7 * groups)) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int seven = (arc >>> (7 * g)) & 0x7F;
        out.write(g == 0 ? seven : seven | 0x80);
      }
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePem(Path file, String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    try {
      return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface StoreFiller {
    void fill(KeyStore store) throws GeneralSecurityException;
  }

  private static Path store(Path file, String password, StoreFiller filler) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      filler.fill(store);
      try (var out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the key store " + file, e);
    }
  }
}
