package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.layer.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Freezes the stored format: entries written by one version of LayerCache must stay readable by
 * the next, and nodes of different versions share one Redis. A failure here means the format
 * changed: bump the envelope version or keep the old bytes readable.
 */
class EnvelopeFormatTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final long DIGEST =
      KeyDigest.forCache("app:orders:v1").of("order-42".getBytes(StandardCharsets.UTF_8));

  /** "hello", expires 2023-11-14T22:13:20Z, written at 42, tags {a, b}, uncompressed. */
  private static final String HELLO = "4c43" + "01" + "01" + "00"
      + "0000018bcfe56800" + "000000000000002a" + "af41926744d9251c"
      + "02" + "000161" + "000162"
      + "00000006" + "00000006" + "0368656c6cef"
      + "1a3b256a";

  /** [1, "x", List.of()] as an ArrayList, eternal, written at 7, no tags. */
  private static final String LIST = "4c43" + "01" + "01" + "00"
      + "7fffffffffffffff" + "0000000000000007" + "af41926744d9251c"
      + "00"
      + "00000009" + "00000009" + "2a" + "03" + "0202" + "038278" + "3b00"
      + "0621d3f6";

  private final KryoEntryCodec<Object> codec =
      new KryoEntryCodec<>(CodecSettings.defaults(), getClass().getClassLoader(), Object.class);

  @Test
  void keyDigestIsStable() {
    assertThat(Long.toHexString(DIGEST)).isEqualTo("af41926744d9251c");
    assertThat(KeyDigest.forCache("app:orders:v1").of(new byte[0]))
        .isNotEqualTo(KeyDigest.forCache("app:orders:v2").of(new byte[0]));
  }

  @Test
  void writesTheDocumentedBytes() {
    byte[] hello = codec.encode(DIGEST, StoredEntry.of("hello", 1_700_000_000_000L, 42L, Set.of("b", "a")));
    byte[] list = codec.encode(DIGEST, StoredEntry.of(new ArrayList<>(List.of(1, "x", List.of())),
        StoredEntry.ETERNAL, 7L, Set.of()));

    assertThat(HEX.formatHex(hello)).isEqualTo(HELLO);
    assertThat(HEX.formatHex(list)).isEqualTo(LIST);
  }

  @Test
  void readsTheDocumentedBytes() {
    assertThat(codec.decode(HEX.parseHex(HELLO), DIGEST)).isEqualTo(new DecodeResult.Decoded<>(
        StoredEntry.of("hello", 1_700_000_000_000L, 42L, Set.of("a", "b"))));
    assertThat(codec.decode(HEX.parseHex(LIST), DIGEST)).isEqualTo(new DecodeResult.Decoded<>(
        StoredEntry.of(List.of(1, "x", List.of()), StoredEntry.ETERNAL, 7L, Set.of())));
  }

  @Test
  void registrationIdsNeverChange() {
    Map<Integer, String> expected = new LinkedHashMap<>();
    String[] names = {
        "[B", "[C", "[S", "[I", "[J", "[F", "[D", "[Z", "[Ljava.lang.String;", "[Ljava.lang.Object;",
        "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID", "java.util.Date",
        "java.time.Instant", "java.time.LocalDate", "java.time.LocalDateTime", "java.time.LocalTime",
        "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime",
        "java.time.Duration", "java.time.Period", "java.time.ZoneOffset", "java.time.ZoneRegion",
        "java.time.Year", "java.time.YearMonth", "java.time.MonthDay"};
    for (int i = 0; i < names.length; i++) {
      expected.put(10 + i, names[i]);
    }
    String[] collections = {"java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap",
        "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
        "java.util.TreeSet", "java.util.ArrayDeque"};
    for (int i = 0; i < collections.length; i++) {
      expected.put(40 + i, collections[i]);
    }
    String[] jdkInternal = {"java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
        "java.util.Collections$EmptyMap", "java.util.Collections$SingletonList",
        "java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
        "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
        "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
        "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
        "java.util.Arrays$ArrayList"};
    for (int i = 0; i < jdkInternal.length; i++) {
      expected.put(50 + i, jdkInternal[i]);
    }
    expected.put(63, "[Ljava.io.Serializable;");
    Map<Integer, String> actual = new LinkedHashMap<>();
    DefaultRegistrations.rows().forEach(row -> actual.put(row.id(), row.type().getName()));

    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  @Test
  void kryoBuiltInIdsNeverChange() {
    SafeKryo kryo = new SafeKryo(new ClassAllowList(List.of(), DefaultRegistrations.names()),
        getClass().getClassLoader(), 64, Map.of());

    assertThat(kryo.getRegistration(int.class).getId()).isZero();
    assertThat(kryo.getRegistration(String.class).getId()).isEqualTo(1);
    assertThat(kryo.getRegistration(Float.class).getId()).isEqualTo(2);
    assertThat(kryo.getRegistration(Boolean.class).getId()).isEqualTo(3);
    assertThat(kryo.getRegistration(Byte.class).getId()).isEqualTo(4);
    assertThat(kryo.getRegistration(Character.class).getId()).isEqualTo(5);
    assertThat(kryo.getRegistration(Short.class).getId()).isEqualTo(6);
    assertThat(kryo.getRegistration(Long.class).getId()).isEqualTo(7);
    assertThat(kryo.getRegistration(Double.class).getId()).isEqualTo(8);
    assertThat(kryo.getRegistration(Integer.class).getId()).isZero();
  }
}
