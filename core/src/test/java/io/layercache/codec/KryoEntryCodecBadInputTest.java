package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.layercache.codec.testdomain.Address;
import io.layercache.codec.testdomain.Person;
import io.layercache.codec.testdomain.Status;
import io.layercache.layer.StoredEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The bad-input tests B1–B11 of docs/guarantees.md at unit level: whatever the bytes, decode returns a
 * Rejected result and never throws, loads a class, or allocates what the bytes declare.
 */
class KryoEntryCodecBadInputTest {

  private static final String DOMAIN = "io.layercache.codec.testdomain.";
  private static final String GADGET = "io.layercache.codec.forbidden.Gadget";

  private final RecordingLoader loader = new RecordingLoader(getClass().getClassLoader());
  private final KryoEntryCodec<Object> codec = new KryoEntryCodec<>(
      CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN), loader, Object.class);

  private final byte[] valid = codec.encode(Payloads.DIGEST, StoredEntry.of(
      new Person("Ada", 36, LocalDate.of(1815, 12, 10), Status.ACTIVE, new Address("a", "b"),
          List.of("x@y"), Map.of("k", 1)), 5_000L, 6_000L, Set.of("tag-a", "tag-b")));

  @Test
  void b1RandomBytesAreRejected() {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      if (i % 3 == 0 && bytes.length > 1) {
        bytes[0] = 'L';
        bytes[1] = 'C';
      }
      assertThat(decode(bytes).isDecoded()).isFalse();
    }
  }

  @Test
  void b1EmptyAndNullAreRejected() {
    assertRejected(new byte[0], RejectReason.EMPTY);
    assertRejected(null, RejectReason.EMPTY);
  }

  @Test
  void b1EveryTruncationIsRejectedAsTruncated() {
    byte[] compressed = codec.encode(Payloads.DIGEST,
        StoredEntry.of("compressible ".repeat(500), 1L, 2L, Set.of("t")));
    assertThat(compressed[4] & Envelope.FLAG_LZ4).isEqualTo(Envelope.FLAG_LZ4);
    for (byte[] envelope : List.of(valid, compressed)) {
      assertThat(decode(envelope).isDecoded()).isTrue();
      for (int length = 1; length < envelope.length; length++) {
        assertRejected(Arrays.copyOf(envelope, length), RejectReason.TRUNCATED);
      }
    }
  }

  @Test
  void trailingBytesAndFlippedBitsAreRejected() {
    assertRejected(Arrays.copyOf(valid, valid.length + 1), RejectReason.CORRUPT);
    for (int i = 0; i < valid.length; i++) {
      byte[] flipped = valid.clone();
      flipped[i] ^= 0x10;
      assertThat(decode(flipped).isDecoded()).as("bit flipped at %d", i).isFalse();
    }
    byte[] payloadFlip = valid.clone();
    payloadFlip[valid.length - 6] ^= 1;
    assertRejected(payloadFlip, RejectReason.CHECKSUM_MISMATCH);
  }

  @Test
  void b2WrongMagicAndUnknownVersionNeverReachKryo() {
    byte[] magic = valid.clone();
    magic[0] = 'X';
    byte[] version = valid.clone();
    version[2] = 3;
    byte[] flags = valid.clone();
    flags[4] = (byte) 0x80;
    byte[] markOfVersionTwoInVersionOne = valid.clone();
    markOfVersionTwoInVersionOne[4] = (byte) 0x04;

    assertRejected(magic, RejectReason.BAD_MAGIC);
    assertRejected(version, RejectReason.UNSUPPORTED_VERSION);
    assertRejected(Payloads.reseal(markOfVersionTwoInVersionOne), RejectReason.CORRUPT);
    assertRejected(new byte[] {'L', 'C', 9}, RejectReason.UNSUPPORTED_VERSION);
    assertRejected(Payloads.reseal(flags), RejectReason.CORRUPT);
  }

  @Test
  void b3UnallowedClassNameIsRejectedWithoutLoadingTheClass() {
    byte[] payload = Payloads.kryo(out -> {
      out.writeVarInt(Payloads.WIRE_NAME, true);
      out.writeVarInt(0, true);
      out.writeString(GADGET);
    });

    assertRejected(Payloads.envelope(payload), RejectReason.CLASS_NOT_ALLOWED);
    assertThat(loader.requested).doesNotContain(GADGET);
    assertThat(GadgetProbe.INITIALIZED).isFalse();
  }

  @Test
  void b3UnallowedClassNestedInAnAllowedContainerIsRejected() {
    byte[] payload = Payloads.kryo(out -> {
      out.writeVarInt(Payloads.WIRE_ARRAY_LIST, true);
      out.writeVarInt(1, true);
      out.writeVarInt(Payloads.WIRE_NAME, true);
      out.writeVarInt(0, true);
      out.writeString(GADGET);
    });
    byte[] jdkGadget = Payloads.kryo(out -> {
      out.writeVarInt(Payloads.WIRE_NAME, true);
      out.writeVarInt(0, true);
      out.writeString("java.util.PriorityQueue");
    });
    byte[] controlChars = Payloads.kryo(out -> {
      out.writeVarInt(Payloads.WIRE_NAME, true);
      out.writeVarInt(0, true);
      out.writeString("evil\n\u0000" + "x".repeat(10_000));
    });

    assertRejected(Payloads.envelope(payload), RejectReason.CLASS_NOT_ALLOWED);
    assertRejected(Payloads.envelope(jdkGadget), RejectReason.CLASS_NOT_ALLOWED);
    DecodeResult<Object> result = decode(Payloads.envelope(controlChars));
    assertThat(((DecodeResult.Rejected<Object>) result).detail()).hasSizeLessThan(300).doesNotContain("\n");
    assertThat(loader.requested).doesNotContain(GADGET, "java.util.PriorityQueue");
    assertThat(GadgetProbe.INITIALIZED).isFalse();
  }

  @Test
  void b3UnregisteredClassIdIsRejected() {
    byte[] payload = Payloads.kryo(out -> out.writeVarInt(500 + 2, true));
    byte[] negative = Payloads.kryo(out -> out.writeVarInt(-7, true));

    assertRejected(Payloads.envelope(payload), RejectReason.CLASS_NOT_ALLOWED);
    assertRejected(Payloads.envelope(negative), RejectReason.CLASS_NOT_ALLOWED);
  }

  @Test
  void b4OtherRegisteredTypeIsATypeMismatch() {
    var strings = new KryoEntryCodec<>(CodecSettings.defaults(), loader, String.class);
    byte[] integer = codec.encode(Payloads.DIGEST, StoredEntry.of(7, 1L, 1L, Set.of()));

    assertThat(strings.decode(integer, Payloads.DIGEST))
        .extracting(r -> ((DecodeResult.Rejected<String>) r).reason())
        .isEqualTo(RejectReason.TYPE_MISMATCH);
  }

  @Test
  void b5CodecIdIsCheckedNotFollowed() {
    byte[] otherCodec = valid.clone();
    otherCodec[3] = 2;
    byte[] zero = valid.clone();
    zero[3] = 0;

    assertRejected(Payloads.reseal(otherCodec), RejectReason.CODEC_MISMATCH);
    assertRejected(Payloads.reseal(zero), RejectReason.CODEC_MISMATCH);
  }

  @Test
  void b6DeclaredSizesBeyondThePayloadAreRejectedBeforeAllocation() {
    List<byte[]> bombs = List.of(
        Payloads.kryo(out -> { // ArrayList of 2^31-1 elements
          out.writeVarInt(Payloads.WIRE_ARRAY_LIST, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // HashMap of 2^31-1 entries
          out.writeVarInt(Payloads.WIRE_HASH_MAP, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // Set.of of 2^31-1 elements
          out.writeVarInt(Payloads.WIRE_SET_N, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // String of 2^31-2 UTF-8 chars
          out.writeVarInt(Payloads.WIRE_STRING, true);
          out.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // byte[] of 2^31-2
          out.writeVarInt(Payloads.WIRE_BYTES, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // int[] of 2^31-2
          out.writeVarInt(Payloads.WIRE_INTS, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // Object[] of 2^31-2
          out.writeVarInt(Payloads.WIRE_OBJECTS, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // boolean[] of 2^31-2
          out.writeVarInt(17 + 2, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // String[] of 2^31-2
          out.writeVarInt(Payloads.WIRE_STRINGS, true);
          out.writeVarInt(Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // a class name of 2^31-2 chars
          out.writeVarInt(Payloads.WIRE_NAME, true);
          out.writeVarInt(0, true);
          out.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        }),
        Payloads.kryo(out -> { // negative length
          out.writeVarInt(Payloads.WIRE_ARRAY_LIST, true);
          out.writeVarInt(-5, true);
        }));

    for (byte[] bomb : bombs) {
      byte[] envelope = Payloads.envelope(bomb);
      long before = Payloads.allocatedBytes();
      assertRejected(envelope, RejectReason.CORRUPT);
      assertThat(Payloads.allocatedBytes() - before).as("bytes allocated").isLessThan(1 << 20);
    }
  }

  @Test
  void b6NestedDeclarationsCannotAddUpBeyondThePayload() {
    // Each list declares almost as many elements as bytes remain; together they declare 3x the
    // payload. Checked alone, each declaration would fit.
    int padding = 100_000;
    byte[] payload = Payloads.kryo(out -> {
      for (int level = 0; level < 3; level++) {
        out.writeVarInt(Payloads.WIRE_ARRAY_LIST, true);
        out.writeVarInt(padding - 10 * level, true);
      }
      out.writeBytes(new byte[padding]); // Kryo.NULL elements
    });

    DecodeResult<Object> result = decode(Payloads.envelope(payload));

    assertThat(result).isEqualTo(new DecodeResult.Rejected<>(RejectReason.CORRUPT,
        "payload declares more elements in total than its " + payload.length + " bytes can hold"));
  }

  @Test
  void decompressionIsBoundedAndChecked() {
    long before = Payloads.allocatedBytes();
    assertRejected(Payloads.lz4Envelope(new byte[10], 16 << 20), RejectReason.DECOMPRESSION_FAILED);
    assertThat(Payloads.allocatedBytes() - before).isLessThan(1 << 20);
    assertRejected(Payloads.lz4Envelope(new byte[10], (16 << 20) + 1), RejectReason.TOO_LARGE);
    byte[] garbage = new byte[64];
    new Random(3).nextBytes(garbage);
    assertRejected(Payloads.lz4Envelope(garbage, 1000), RejectReason.DECOMPRESSION_FAILED);
    byte[] compressed = codec.encode(Payloads.DIGEST,
        StoredEntry.of("compressible ".repeat(500), 1L, 2L, Set.of()));
    byte[] wrongLength = compressed.clone();
    int lengthAt = Envelope.FIXED_HEADER_BYTES;
    wrongLength[lengthAt + 3] -= 1; // declared uncompressed length one byte short
    assertRejected(Payloads.reseal(wrongLength), RejectReason.DECOMPRESSION_FAILED);
  }

  @Test
  void b7DeepNestingIsRejectedWithoutStackOverflow() {
    byte[] lists = Payloads.kryo(out -> {
      for (int i = 0; i < 10_000; i++) {
        out.writeVarInt(Payloads.WIRE_ARRAY_LIST, true);
        out.writeVarInt(1, true);
      }
      out.writeVarInt(0, true);
    });
    byte[] arrays = Payloads.kryo(out -> {
      for (int i = 0; i < 10_000; i++) {
        out.writeVarInt(Payloads.WIRE_OBJECTS, true);
        out.writeVarInt(2, true);
      }
      out.writeVarInt(0, true);
    });

    assertRejected(Payloads.envelope(lists), RejectReason.TOO_DEEP);
    assertRejected(Payloads.envelope(arrays), RejectReason.TOO_DEEP);
  }

  @Test
  void b8EnvelopeOfAnotherKeyOrCacheIsRejected() {
    long otherKey = KeyDigest.forCache("test:cache:v1").of(new byte[] {1, 2, 4});
    long otherCache = KeyDigest.forCache("test:other:v1").of(new byte[] {1, 2, 3});

    assertThat(codec.decode(valid, Payloads.DIGEST).isDecoded()).isTrue();
    assertThat(codec.decode(valid, otherKey))
        .isEqualTo(new DecodeResult.Rejected<>(RejectReason.KEY_MISMATCH, "envelope belongs to another key"));
    assertThat(codec.decode(valid, otherCache)).extracting(r -> ((DecodeResult.Rejected<?>) r).reason())
        .isEqualTo(RejectReason.KEY_MISMATCH);
  }

  @Test
  void b11JavaSerializationStreamIsBadMagic() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(List.of("gadget")));
    }
    assertThat(bytes.toByteArray()).startsWith(0xAC, 0xED, 0x00, 0x05);

    assertRejected(bytes.toByteArray(), RejectReason.BAD_MAGIC);
  }

  @Test
  void oversizedEnvelopeIsRejectedBeforeParsing() {
    byte[] huge = new byte[(1 << 20) + 1];
    huge[0] = 'L';
    huge[1] = 'C';

    assertRejected(huge, RejectReason.TOO_LARGE);
  }

  @Test
  void nullOrTrailingPayloadIsCorrupt() {
    assertRejected(Payloads.envelope(new byte[] {0}), RejectReason.CORRUPT);
    byte[] trailing = Payloads.kryo(out -> {
      out.writeVarInt(Payloads.WIRE_STRING, true);
      out.writeString("ok");
      out.writeByte(0);
    });
    assertRejected(Payloads.envelope(trailing), RejectReason.CORRUPT);
  }

  @Test
  void fuzzedPayloadsInValidEnvelopesNeverThrow() {
    Random random = new Random(7);
    int payloadAt = Payloads.payloadOffset() + 2 * 2 + "tag-a".length() + "tag-b".length();
    for (int i = 0; i < 20_000; i++) {
      byte[] mutated = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = payloadAt + random.nextInt(mutated.length - payloadAt - Envelope.CHECKSUM_BYTES);
        mutated[at] = (byte) random.nextInt(256);
      }
      byte[] sealed = Payloads.reseal(mutated);
      assertThatCode(() -> decode(sealed)).doesNotThrowAnyException();
    }
    for (int i = 0; i < 5_000; i++) {
      byte[] payload = new byte[1 + random.nextInt(200)];
      random.nextBytes(payload);
      assertThatCode(() -> decode(Payloads.envelope(payload))).doesNotThrowAnyException();
    }
    assertThat(GadgetProbe.INITIALIZED).isFalse();
    assertThat(decode(valid).isDecoded()).as("codec still works").isTrue();
  }

  @Test
  void fuzzedStructuresWithHugeLengthsNeverThrow() {
    // Valid payloads of many types with random bytes replaced or preceded by maximal varints:
    // this is what found Kryo's BooleanArraySerializer allocating the declared length itself.
    KryoEntryCodec<Object> wide = new KryoEntryCodec<>(
        CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN, "java.awt."), loader, Object.class);
    List<byte[]> bases = KryoEntryCodecRoundTripTest.builtInValues()
        .map(value -> wide.encode(Payloads.DIGEST, StoredEntry.of(value, 1L, 2L, Set.of())))
        .filter(envelope -> (envelope[4] & Envelope.FLAG_LZ4) == 0)
        .map(envelope -> Arrays.copyOfRange(envelope, Payloads.payloadOffset(),
            envelope.length - Envelope.CHECKSUM_BYTES))
        .toList();
    byte[][] huge = {{-1, -1, -1, -1, 0x07}, {-2, -1, -1, -1, 0x0f}, {-1, -1, 0x7f},
        {(byte) 0xc0, -1, -1, -1, 0x0f}};
    Random random = new Random(5);
    for (int i = 0; i < 40_000; i++) {
      byte[] base = bases.get(random.nextInt(bases.size()));
      byte[] varint = huge[random.nextInt(huge.length)];
      byte[] payload;
      if (random.nextBoolean()) {
        int at = random.nextInt(base.length + 1);
        payload = new byte[base.length + varint.length];
        System.arraycopy(base, 0, payload, 0, at);
        System.arraycopy(varint, 0, payload, at, varint.length);
        System.arraycopy(base, at, payload, at + varint.length, base.length - at);
      } else {
        payload = base.clone();
        int at = random.nextInt(payload.length);
        System.arraycopy(varint, 0, payload, at, Math.min(varint.length, payload.length - at));
      }
      byte[] envelope = Payloads.envelope(payload);
      assertThatCode(() -> wide.decode(envelope, Payloads.DIGEST)).doesNotThrowAnyException();
    }
  }

  @Test
  void decodeDoesNotModifyItsInput() {
    byte[] copy = valid.clone();

    decode(valid);

    assertThat(valid).isEqualTo(copy);
  }

  private DecodeResult<Object> decode(byte[] bytes) {
    return codec.decode(bytes, Payloads.DIGEST);
  }

  private void assertRejected(byte[] bytes, RejectReason reason) {
    DecodeResult<Object> result = decode(bytes);
    assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
    assertThat(((DecodeResult.Rejected<Object>) result).reason())
        .as("%s", result).isEqualTo(reason);
  }

  /** Records every class name the codec asks its class loader for. */
  static final class RecordingLoader extends ClassLoader {
    final Set<String> requested = ConcurrentHashMap.newKeySet();

    RecordingLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
