package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.codec.testdomain.Address;
import io.layercache.codec.testdomain.Node;
import io.layercache.codec.testdomain.Person;
import io.layercache.codec.testdomain.Point;
import io.layercache.codec.testdomain.Status;
import io.layercache.layer.StoredEntry;
import java.awt.Color;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class KryoEntryCodecRoundTripTest {

  private static final String DOMAIN = "io.layercache.codec.testdomain.";
  private static final long KEY = KeyDigest.forCache("app:people:v1").of("k1".getBytes(StandardCharsets.UTF_8));

  private final KryoEntryCodec<Object> untyped =
      new KryoEntryCodec<>(CodecSettings.defaults(), getClass().getClassLoader(), Object.class);

  static Stream<Object> builtInValues() {
    HashMap<String, Object> withNulls = new HashMap<>();
    withNulls.put(null, 1);
    withNulls.put("b", null);
    LinkedHashMap<String, Integer> ordered = new LinkedHashMap<>();
    ordered.put("z", 1);
    ordered.put("a", 2);
    ArrayList<Object> withNull = new ArrayList<>(Arrays.asList("a", null, 3));
    return Stream.of(
        "", "plain ascii", "unicode: żółw, 猫, emoji \uD83D\uDE00", "x".repeat(5000),
        42, -1L, (short) 7, (byte) -3, 'c', true, 1.5f, Double.NaN, Long.MIN_VALUE,
        new BigInteger("123456789012345678901234567890"), BigInteger.ZERO,
        new BigDecimal("-1234.5678"), new BigDecimal("1e-300"), UUID.randomUUID(),
        new Date(1_700_000_000_123L), Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
        LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6), LocalTime.NOON,
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)),
        OffsetTime.of(10, 0, 0, 0, ZoneOffset.UTC),
        ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
        Duration.ofMillis(1234), Period.of(1, 2, 3), ZoneOffset.ofHoursMinutes(-5, -30),
        ZoneId.of("America/New_York"), Year.of(2024), YearMonth.of(2024, 5), MonthDay.of(12, 24),
        new byte[] {1, 2, 3}, new char[] {'a', 'é'}, new short[] {1, -1}, new int[] {1, -7, 1 << 30},
        new long[] {Long.MAX_VALUE, 0}, new float[] {1.5f}, new double[] {-0.0, 2.5},
        new boolean[] {true, false}, new String[] {"a", null, ""},
        new Object[] {"a", 1, null, new int[] {2}}, new byte[0],
        withNull, new LinkedList<>(List.of(1, 2)), new HashMap<>(Map.of("a", 1, "b", 2)),
        withNulls, ordered, new TreeMap<>(Map.of("b", 2, "a", 1)),
        new HashSet<>(Set.of(1, 2, 3)), new LinkedHashSet<>(List.of("c", "a", "b")),
        new TreeSet<>(Set.of(3, 1, 2)), new ArrayList<>(), new HashMap<>(),
        Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
        Collections.singletonList("one"), Collections.singleton(1), Collections.singletonMap("k", "v"),
        List.of(), List.of(1), List.of(1, 2), List.of(1, 2, 3), Set.of(), Set.of("a"), Set.of(1, 2, 3),
        Map.of(), Map.of("a", 1), Map.of("a", 1, "b", 2, "c", 3), Arrays.asList("x", null),
        new ArrayList<>(List.of(List.of(1, 2), Map.of("k", new TreeSet<>(Set.of(1))), new LinkedList<>(List.of("n")))));
  }

  @ParameterizedTest
  @MethodSource("builtInValues")
  void roundTripsEveryBuiltInType(Object value) {
    Object back = roundTrip(untyped, value);

    assertThat(back).isEqualTo(value);
    assertThat(back.getClass()).isEqualTo(value.getClass());
  }

  @Test
  void keepsWhatAnEntryStandsFor() {
    KryoEntryCodec<String> strings = new KryoEntryCodec<>(CodecSettings.defaults(), getClass().getClassLoader(), String.class);
    StoredEntry<String> notFound = StoredEntry.notFound(123_456L, 789L);
    StoredEntry<String> backNotFound = decoded(strings, strings.encode(KEY, notFound));
    assertThat(backNotFound.isNotFound()).isTrue();
    assertThat((Object) backNotFound.value()).isSameAs(StoredEntry.NOT_FOUND_VALUE);
    assertThat(backNotFound.expireAt()).isEqualTo(123_456L);

    StoredEntry<String> failSafe = StoredEntry.of("last good", 1L, 2L, Set.of("t")).withKind(StoredEntry.Kind.FAIL_SAFE);
    StoredEntry<String> backFailSafe = decoded(strings, strings.encode(KEY, failSafe));
    assertThat(backFailSafe.kind()).isEqualTo(StoredEntry.Kind.FAIL_SAFE);
    assertThat(backFailSafe.value()).isEqualTo("last good");
    assertThat(decoded(strings, strings.encode(KEY, StoredEntry.of("v", 1L, 2L, Set.of()))).kind())
        .isEqualTo(StoredEntry.Kind.VALUE);
  }

  @Test
  void nestsArraysInCollections() {
    List<Object> nested = new ArrayList<>(List.of(Map.of("k", new int[] {1, 2}), new Object[] {"n", new String[] {"s"}}));

    assertThat(roundTrip(untyped, nested)).usingRecursiveComparison().isEqualTo(nested);
  }

  @Test
  void keepsCollectionOrderAndComparators() {
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of("a", "c", "b"));
    LinkedHashMap<String, Integer> order = new LinkedHashMap<>();
    IntStream.range(0, 100).forEach(i -> order.put("k" + (99 - i), i));
    ArrayDeque<Integer> deque = new ArrayDeque<>(List.of(3, 1, 2));

    assertThat(roundTrip(untyped, order)).isInstanceOf(LinkedHashMap.class)
        .asString().isEqualTo(order.toString());
    assertThat(((ArrayDeque<?>) roundTrip(untyped, deque)).toArray()).containsExactly(3, 1, 2);
    // The comparator's class must itself be allowed: reverseOrder() lives in java.util.
    assertThatThrownBy(() -> untyped.encode(KEY, entry(reversed)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Collections$ReverseComparator");
  }

  @Test
  void immutableListWithNullsComesBackUnmodifiable() {
    List<String> withNull = Stream.of("a", null).toList();

    Object back = roundTrip(untyped, withNull);

    assertThat(back).isEqualTo(withNull);
    assertThatThrownBy(() -> ((List<Object>) back).add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void roundTripsPojosRecordsAndEnumsUnderAnAllowedPrefix() {
    var codec = codec(CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN), Object.class);
    Person person = new Person("Ada", 36, LocalDate.of(1815, 12, 10), Status.SUSPENDED,
        new Address("St James's Square", "London"), List.of("ada@example.org"),
        Map.of("math", 100)).withNote(new Point(1, 2));

    assertThat(roundTrip(codec, person)).isEqualTo(person);
    assertThat(roundTrip(codec, Status.SUSPENDED)).isSameAs(Status.SUSPENDED);
    assertThat(roundTrip(codec, new Point(3, 4))).isEqualTo(new Point(3, 4));
    assertThat(roundTrip(codec, new Address[] {new Address("a", "b"), null}))
        .isEqualTo(new Address[] {new Address("a", "b"), null});
    assertThat(roundTrip(codec, new ArrayList<>(List.of(Status.GONE, new Address("x", "y")))))
        .isEqualTo(List.of(Status.GONE, new Address("x", "y")));
  }

  @Test
  void registeredClassesUseTheirIdAndNeedNoPrefix() {
    var registered = codec(CodecSettings.defaults().withRegistrations(
        Map.of(100, DOMAIN + "Address", 101, DOMAIN + "Status")), Object.class);
    var byName = codec(CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN), Object.class);
    Address address = new Address("Main St", "Springfield");

    assertThat(roundTrip(registered, address)).isEqualTo(address);
    assertThat(roundTrip(registered, Status.GONE)).isEqualTo(Status.GONE);
    assertThat(registered.serializeWithStats(address).rawPayloadBytes())
        .isLessThan(byName.serializeWithStats(address).rawPayloadBytes());
    assertThatThrownBy(() -> registered.encode(KEY, entry(new Point(1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DOMAIN + "Point")
        .hasMessageContaining("codec.allowed-class-prefixes")
        .hasMessageContaining("codec.registrations");
  }

  @Test
  void colorRoundTripsWhenJavaAwtIsAllowedOrRegistered() {
    var byPrefix = codec(CodecSettings.defaults().withAllowedClassPrefixes("java.awt."), Object.class);
    var byId = codec(CodecSettings.defaults().withRegistrations(Map.of(100, "java.awt.Color")), Object.class);
    Color translucent = new Color(10, 20, 30, 40);

    assertThat(roundTrip(byPrefix, translucent)).isEqualTo(translucent);
    assertThat(roundTrip(byPrefix, Color.RED)).isEqualTo(Color.RED);
    assertThat(roundTrip(byId, translucent)).isEqualTo(translucent);
    assertThatThrownBy(() -> untyped.encode(KEY, entry(Color.RED)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.awt.Color");
  }

  @Test
  void keepsTagsAndTimes() {
    Set<String> tags = new HashSet<>(Set.of("tenant:1", "région", "*?[]\\", "x".repeat(1024)));
    StoredEntry<Object> expiring = StoredEntry.of("v", 1_700_000_000_000L, 123_456_789L, tags);
    StoredEntry<Object> eternal = StoredEntry.of("v", StoredEntry.ETERNAL, 1L, Set.of());

    StoredEntry<Object> back = decoded(untyped, untyped.encode(KEY, expiring));
    StoredEntry<Object> backEternal = decoded(untyped, untyped.encode(KEY, eternal));

    assertThat(back).isEqualTo(expiring);
    assertThat(backEternal).isEqualTo(eternal);
    assertThat(backEternal.isExpiredAt(Long.MAX_VALUE - 1)).isFalse();
    Set<String> sixtyFour = new HashSet<>();
    IntStream.range(0, 64).forEach(i -> sixtyFour.add("t" + i));
    assertThat(decoded(untyped, untyped.encode(KEY, StoredEntry.of(1, 5L, 6L, sixtyFour))).tags())
        .isEqualTo(sixtyFour);
  }

  @Test
  void refusesTagsTheEnvelopeCannotHold() {
    Set<String> tooMany = new HashSet<>();
    IntStream.range(0, 65).forEach(i -> tooMany.add("t" + i));

    assertThatThrownBy(() -> untyped.encode(KEY, StoredEntry.of(1, 1L, 1L, tooMany)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64 tags");
    assertThatThrownBy(() -> untyped.encode(KEY, StoredEntry.of(1, 1L, 1L, Set.of("é".repeat(513)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
  }

  @Test
  void refusesValuesOutsideTheAllowListNamingClassAndSettings() {
    assertThatThrownBy(() -> untyped.encode(KEY, entry(new Address("a", "b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DOMAIN + "Address")
        .hasMessageContaining("codec.allowed-class-prefixes")
        .hasMessageContaining("codec.registrations");
    // Nested: the list is built in, its element is not.
    assertThatThrownBy(() -> untyped.encode(KEY, entry(new ArrayList<>(List.of(new Point(1, 1))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DOMAIN + "Point");
    assertThatThrownBy(() -> untyped.encode(KEY, entry(Optional_.VALUE)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.util.Optional");
    Runnable lambda = () -> {};
    assertThatThrownBy(() -> untyped.encode(KEY, entry(lambda)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesGraphsDeeperThanMaxDepthAndCycles() {
    var codec = codec(CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN), Object.class);
    Node cyclic = new Node(1, null);
    cyclic.next = cyclic;

    assertThat(roundTrip(codec, Node.chain(50))).isInstanceOf(Node.class);
    assertThatThrownBy(() -> codec.encode(KEY, entry(Node.chain(100))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec.max-depth = 64");
    assertThatThrownBy(() -> codec.encode(KEY, entry(cyclic)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refers to itself");
  }

  @Test
  void typedCodecRefusesOtherValueTypes() {
    var strings = codec(CodecSettings.defaults(), String.class);
    var ints = codec(CodecSettings.defaults(), Integer.class);
    byte[] stored = untyped.encode(KEY, entry(42));

    assertThat(ints.decode(stored, KEY).isDecoded()).isTrue();
    assertThat(strings.decode(stored, KEY))
        .isEqualTo(new DecodeResult.Rejected<>(RejectReason.TYPE_MISMATCH,
            "a java.lang.Integer where java.lang.String was expected"));
  }

  @Test
  void compressesLargeCompressibleValuesOnly() {
    String large = "The quick brown fox jumps over the lazy dog. ".repeat(500);
    byte[] random = new byte[8192];
    new java.util.Random(1).nextBytes(random);

    EncodeStats big = untyped.serializeWithStats(large);
    EncodeStats small = untyped.serializeWithStats("small value, well below 1 KiB");
    EncodeStats incompressible = untyped.serializeWithStats(random);

    assertThat(big.compressed()).isTrue();
    assertThat(big.compressionRatio()).isLessThan(0.1);
    assertThat(big.envelopeBytes()).isLessThan(big.rawPayloadBytes() / 5);
    assertThat(small.compressed()).isFalse();
    assertThat(small.storedPayloadBytes()).isEqualTo(small.rawPayloadBytes());
    assertThat(incompressible.compressed()).isFalse();
    assertThat(incompressible.compressionRatio()).isEqualTo(1.0);
    assertThat(roundTrip(untyped, large)).isEqualTo(large);
    assertThat(roundTrip(untyped, random)).isEqualTo(random);
  }

  @Test
  void compressionThresholdIsConfigurable() {
    var always = codec(CodecSettings.defaults().withCompressionThresholdBytes(0), Object.class);
    var never = codec(CodecSettings.defaults().withCompressionThresholdBytes(Integer.MAX_VALUE), Object.class);
    String value = "a".repeat(200);

    assertThat(always.serializeWithStats(value).compressed()).isTrue();
    assertThat(roundTrip(always, value)).isEqualTo(value);
    assertThat(never.serializeWithStats("a".repeat(100_000)).compressed()).isFalse();
  }

  @Test
  void valuesAboveTheLimitsThrowValueTooLarge() {
    byte[] random = new byte[(1 << 20) + 1];
    new java.util.Random(2).nextBytes(random);
    var smallPayloads = codec(CodecSettings.defaults().withMaxDecompressedBytes(1000), Object.class);

    assertThatThrownBy(() -> untyped.encode(KEY, entry(random)))
        .isInstanceOfSatisfying(ValueTooLargeException.class, e -> {
          assertThat(e.setting()).isEqualTo("codec.max-value-bytes");
          assertThat(e.limit()).isEqualTo(1 << 20);
          assertThat(e.size()).isGreaterThan(1 << 20);
        });
    assertThatThrownBy(() -> smallPayloads.encode(KEY, entry("z".repeat(2000))))
        .isInstanceOfSatisfying(ValueTooLargeException.class,
            e -> assertThat(e.setting()).isEqualTo("codec.max-decompressed-bytes"));
    // Highly compressible values larger than max-value-bytes still fit once compressed.
    assertThat(roundTrip(untyped, "y".repeat(4 << 20))).isEqualTo("y".repeat(4 << 20));
    // The pooled session is still usable after a failure.
    assertThat(roundTrip(smallPayloads, "ok")).isEqualTo("ok");
  }

  @Test
  void statsDescribeTheEnvelope() {
    EntryCodec.Encoded encoded = untyped.encodeWithStats(KEY, entry("hello"));

    assertThat(encoded.stats().envelopeBytes()).isEqualTo(encoded.bytes().length);
    assertThat(encoded.stats().rawPayloadBytes()).isEqualTo(1 + 5);
    assertThat(encoded.stats().encodeNanos()).isPositive();
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    var codec = codec(CodecSettings.defaults().withAllowedClassPrefixes(DOMAIN), Object.class);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            Object value = i % 2 == 0 ? new Address("s" + seed, "c" + i) : List.of(seed, i);
            if (!roundTrip(codec, value).equals(value)) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <V> KryoEntryCodec<V> codec(CodecSettings settings, Class<V> type) {
    return new KryoEntryCodec<>(settings, KryoEntryCodecRoundTripTest.class.getClassLoader(), type);
  }

  private static StoredEntry<Object> entry(Object value) {
    return StoredEntry.of(value, 1_000L, 2_000L, Set.of("t"));
  }

  private static Object roundTrip(EntryCodec<Object> codec, Object value) {
    StoredEntry<Object> entry = entry(value);
    StoredEntry<Object> back = decoded(codec, codec.encode(KEY, entry));
    assertThat(back.expireAt()).isEqualTo(entry.expireAt());
    assertThat(back.writtenAt()).isEqualTo(entry.writtenAt());
    assertThat(back.tags()).isEqualTo(entry.tags());
    return back.value();
  }

  private static <V> StoredEntry<V> decoded(EntryCodec<V> codec, byte[] bytes) {
    DecodeResult<V> result = codec.decode(bytes, KEY);
    assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    return ((DecodeResult.Decoded<V>) result).entry();
  }

  /** Holder so the test names a java.util type that is not built in. */
  private static final class Optional_ {
    static final Object VALUE = java.util.Optional.of("x");
  }
}
