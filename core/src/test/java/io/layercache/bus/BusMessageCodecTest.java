package io.layercache.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BusMessageCodecTest {

  private static final BusSettings.Signing SIGNING = BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", false);

  private static BusMessage message() {
    return new BusMessage("host-a", 42L, 7L, System.currentTimeMillis(), BusMessage.Action.DELETE, "users", 0L,
        List.of("key-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}), null);
  }

  @Test
  void aMessageRoundTripsSignedAndUnsigned() {
    for (BusSettings.Signing signing : List.of(BusSettings.Signing.NONE, SIGNING)) {
      BusMessageCodec codec = new BusMessageCodec(signing, 4096);
      BusMessageCodec.Result result = codec.decode(codec.encode(message()));
      assertThat(result).isInstanceOf(BusMessageCodec.Result.Accepted.class);
      BusMessage decoded = ((BusMessageCodec.Result.Accepted) result).message();
      assertThat(decoded.source()).isEqualTo("host-a");
      assertThat(decoded.sequence()).isEqualTo(7L);
      assertThat(decoded.items()).hasSize(2);
      assertThat(decoded.items().get(0)).isEqualTo("key-1".getBytes(StandardCharsets.UTF_8));
      assertThat(((BusMessageCodec.Result.Accepted) result).verified()).isEqualTo(signing.secret() != null);
    }
  }

  @Test
  void aSetCarriesItsValue() {
    BusMessageCodec codec = new BusMessageCodec(BusSettings.Signing.NONE, 4096);
    BusMessage set = new BusMessage("a", 1, 1, 5, BusMessage.Action.SET, "c", 0, List.of(new byte[] {9}), new byte[] {4, 5});
    BusMessage decoded = ((BusMessageCodec.Result.Accepted) codec.decode(codec.encode(set))).message();
    assertThat(decoded.value()).containsExactly(4, 5);
  }

  @Test
  void randomBytesAreRejectedNeverThrown() {
    BusMessageCodec codec = new BusMessageCodec(SIGNING, 4096);
    Random random = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      if (i % 2 == 0 && garbage.length > 4) {
        System.arraycopy(BusMessageCodec.MAGIC, 0, garbage, 0, 3);
        garbage[3] = 1; // past the magic and version: the structure itself must be checked
      }
      assertThat(codec.decode(garbage)).isInstanceOf(BusMessageCodec.Result.Rejected.class);
    }
  }

  @Test
  void everyTruncationAndEveryFlippedByteOfASignedMessageIsRejected() {
    BusMessageCodec codec = new BusMessageCodec(SIGNING, 4096);
    byte[] valid = codec.encode(message());
    for (int length = 0; length < valid.length; length++) {
      assertThat(codec.decode(Arrays.copyOf(valid, length))).as("truncated to %d", length)
          .isInstanceOf(BusMessageCodec.Result.Rejected.class);
    }
    for (int i = 0; i < valid.length; i++) {
      byte[] tampered = valid.clone();
      tampered[i] ^= 0x20;
      assertThat(codec.decode(tampered)).as("byte %d flipped", i).isInstanceOf(BusMessageCodec.Result.Rejected.class);
    }
  }

  @Test
  void signaturesAreChecked() {
    byte[] forged = new BusMessageCodec(BusSettings.Signing.of("k1", "another-secret-another-secret-123", false), 4096)
        .encode(message());
    byte[] otherKey = new BusMessageCodec(BusSettings.Signing.of("k2", "0123456789abcdef0123456789abcdef", false), 4096)
        .encode(message());
    byte[] unsigned = new BusMessageCodec(BusSettings.Signing.NONE, 4096).encode(message());
    BusMessageCodec requiring = new BusMessageCodec(BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", true), 4096);

    assertThat(requiring.decode(forged)).isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.BAD_SIGNATURE));
    assertThat(requiring.decode(otherKey)).isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.UNKNOWN_KEY));
    assertThat(requiring.decode(unsigned)).isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.UNSIGNED));
    assertThat(new BusMessageCodec(SIGNING, 4096).decode(unsigned)).isInstanceOf(BusMessageCodec.Result.Accepted.class);
  }

  @Test
  void duringRotationThePreviousKeyIsStillAcceptedButNeverUsedToSign() {
    BusSettings.Signing oldKey = BusSettings.Signing.of("k1", "0123456789abcdef0123456789abcdef", true);
    BusSettings.Signing rotating = BusSettings.Signing.of("k2", "fedcba9876543210fedcba9876543210", true)
        .withPrevious("k1", "0123456789abcdef0123456789abcdef");
    BusMessageCodec newInstance = new BusMessageCodec(rotating, 4096);
    BusMessageCodec oldInstance = new BusMessageCodec(oldKey, 4096);

    assertThat(newInstance.decode(oldInstance.encode(message()))).isInstanceOf(BusMessageCodec.Result.Accepted.class);
    assertThat(newInstance.decode(newInstance.encode(message()))).isInstanceOf(BusMessageCodec.Result.Accepted.class);
    assertThat(oldInstance.decode(newInstance.encode(message())))
        .isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.UNKNOWN_KEY));
    assertThatThrownBy(() -> rotating.withPrevious("k2", "fedcba9876543210fedcba9876543210"))
        .hasMessageContaining("bus.signing.previous.key-id must differ");
  }

  @Test
  void foreignOversizedAndUnknownVersionsAreNamed() {
    BusMessageCodec codec = new BusMessageCodec(BusSettings.Signing.NONE, 1024);
    byte[] valid = codec.encode(message());
    byte[] future = valid.clone();
    future[3] = 2;
    assertThat(codec.decode(future)).isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.UNKNOWN_VERSION));
    assertThat(codec.decode("hello".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.FOREIGN));
    assertThat(codec.decode(new byte[2048])).isEqualTo(new BusMessageCodec.Result.Rejected(BusRejection.TOO_LARGE));
  }

  @Test
  void aMessageOverTheLimitIsNotSent() {
    BusMessageCodec codec = new BusMessageCodec(BusSettings.Signing.NONE, 1024);
    BusMessage big = new BusMessage("a", 1, 1, 1, BusMessage.Action.DELETE, "c", 0, List.of(new byte[2000]), null);
    assertThatThrownBy(() -> codec.encode(big)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bus.max-message-bytes");
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(() -> BusSettings.Signing.of("k1", "short", false))
        .hasMessageContaining("bus.signing.secret");
    assertThatThrownBy(() -> BusSettings.defaults("bad source!")).hasMessageContaining("bus.source");
    assertThatThrownBy(() -> new BusSettings.Breaker(0, java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("bus.circuit-breaker.failure-threshold");
  }
}
