package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JDK value types every codec knows, under fixed Kryo ids. The ids are part of the stored
 * format: an id may be added, never changed or reused, while old entries can still be in L2.
 *
 * <ul>
 *   <li>0–8 are Kryo's own: {@code int} 0, {@code String} 1, {@code float} 2, {@code boolean} 3,
 *       {@code byte} 4, {@code char} 5, {@code short} 6, {@code long} 7, {@code double} 8 (boxed
 *       types share the primitive's id).
 *   <li>10–99 are this table; {@code codec.registrations} starts at 100.
 *   <li>Enums, {@code java.sql} dates, {@code Optional} and every other type need
 *       {@code codec.allowed-class-prefixes} or {@code codec.registrations}.
 * </ul>
 */
final class DefaultRegistrations {

  /** One row of the table. */
  record Row(int id, Class<?> type, Function<Kryo, Serializer<?>> serializer) {}

  private static final List<Row> ROWS = List.of(
      row(10, byte[].class, k -> new DefaultArraySerializers.ByteArraySerializer()),
      row(11, char[].class, k -> new DefaultArraySerializers.CharArraySerializer()),
      row(12, short[].class, k -> new DefaultArraySerializers.ShortArraySerializer()),
      row(13, int[].class, k -> new DefaultArraySerializers.IntArraySerializer()),
      row(14, long[].class, k -> new DefaultArraySerializers.LongArraySerializer()),
      row(15, float[].class, k -> new DefaultArraySerializers.FloatArraySerializer()),
      row(16, double[].class, k -> new DefaultArraySerializers.DoubleArraySerializer()),
      row(17, boolean[].class, k -> new BoundedArraySerializers.BooleanArraySerializer()),
      row(18, String[].class, k -> new BoundedArraySerializers.StringArraySerializer()),
      row(19, Object[].class, k -> new BoundedArraySerializers.ObjectArraySerializer(k, Object[].class)),
      row(20, BigInteger.class, k -> new DefaultSerializers.BigIntegerSerializer()),
      row(21, BigDecimal.class, k -> new DefaultSerializers.BigDecimalSerializer()),
      row(22, UUID.class, k -> new DefaultSerializers.UUIDSerializer()),
      row(23, Date.class, k -> new DefaultSerializers.DateSerializer()),
      row(24, Instant.class, k -> new TimeSerializers.InstantSerializer()),
      row(25, LocalDate.class, k -> new TimeSerializers.LocalDateSerializer()),
      row(26, LocalDateTime.class, k -> new TimeSerializers.LocalDateTimeSerializer()),
      row(27, LocalTime.class, k -> new TimeSerializers.LocalTimeSerializer()),
      row(28, OffsetDateTime.class, k -> new TimeSerializers.OffsetDateTimeSerializer()),
      row(29, OffsetTime.class, k -> new TimeSerializers.OffsetTimeSerializer()),
      row(30, ZonedDateTime.class, k -> new TimeSerializers.ZonedDateTimeSerializer()),
      row(31, Duration.class, k -> new TimeSerializers.DurationSerializer()),
      row(32, Period.class, k -> new TimeSerializers.PeriodSerializer()),
      row(33, ZoneOffset.class, k -> new TimeSerializers.ZoneOffsetSerializer()),
      row(34, ZoneId.of("Europe/Paris").getClass(), k -> new TimeSerializers.ZoneIdSerializer()),
      row(35, Year.class, k -> new TimeSerializers.YearSerializer()),
      row(36, YearMonth.class, k -> new TimeSerializers.YearMonthSerializer()),
      row(37, MonthDay.class, k -> new TimeSerializers.MonthDaySerializer()),
      row(40, ArrayList.class, k -> BoundedCollectionSerializers.forType(ArrayList.class)),
      row(41, LinkedList.class, k -> BoundedCollectionSerializers.forType(LinkedList.class)),
      row(42, HashMap.class, k -> BoundedCollectionSerializers.forType(HashMap.class)),
      row(43, LinkedHashMap.class, k -> BoundedCollectionSerializers.forType(LinkedHashMap.class)),
      row(44, TreeMap.class, k -> BoundedCollectionSerializers.forType(TreeMap.class)),
      row(45, HashSet.class, k -> BoundedCollectionSerializers.forType(HashSet.class)),
      row(46, LinkedHashSet.class, k -> BoundedCollectionSerializers.forType(LinkedHashSet.class)),
      row(47, TreeSet.class, k -> BoundedCollectionSerializers.forType(TreeSet.class)),
      row(48, ArrayDeque.class, k -> BoundedCollectionSerializers.forType(ArrayDeque.class)),
      row(50, Collections.emptyList().getClass(), k -> new DefaultSerializers.CollectionsEmptyListSerializer()),
      row(51, Collections.emptySet().getClass(), k -> new DefaultSerializers.CollectionsEmptySetSerializer()),
      row(52, Collections.emptyMap().getClass(), k -> new DefaultSerializers.CollectionsEmptyMapSerializer()),
      row(53, Collections.singletonList(1).getClass(), k -> new DefaultSerializers.CollectionsSingletonListSerializer()),
      row(54, Collections.singleton(1).getClass(), k -> new DefaultSerializers.CollectionsSingletonSetSerializer()),
      row(55, Collections.singletonMap(1, 1).getClass(), k -> new DefaultSerializers.CollectionsSingletonMapSerializer()),
      row(56, List.of(1).getClass(), k -> BoundedCollectionSerializers.forType(List.of(1).getClass())),
      row(57, List.of().getClass(), k -> BoundedCollectionSerializers.forType(List.of().getClass())),
      row(58, Set.of(1).getClass(), k -> BoundedCollectionSerializers.forType(Set.of(1).getClass())),
      row(59, Set.of().getClass(), k -> BoundedCollectionSerializers.forType(Set.of().getClass())),
      row(60, Map.of(1, 1).getClass(), k -> BoundedCollectionSerializers.forType(Map.of(1, 1).getClass())),
      row(61, Map.of().getClass(), k -> BoundedCollectionSerializers.forType(Map.of().getClass())),
      row(62, Arrays.asList().getClass(), k -> BoundedCollectionSerializers.forType(Arrays.asList().getClass())),
      // Hibernate's disassembled entity state; elements are checked one by one like Object[]'s.
      row(63, Serializable[].class, k -> new BoundedArraySerializers.ObjectArraySerializer(k, Serializable[].class)));

  private static final Set<String> KRYO_BUILT_IN = Set.of(
      "int", "java.lang.Integer", "java.lang.String", "float", "java.lang.Float", "boolean",
      "java.lang.Boolean", "byte", "java.lang.Byte", "char", "java.lang.Character", "short",
      "java.lang.Short", "long", "java.lang.Long", "double", "java.lang.Double");

  private static final Set<String> NAMES = Stream.concat(
          KRYO_BUILT_IN.stream(), ROWS.stream().map(row -> row.type().getName()))
      .collect(Collectors.toUnmodifiableSet());

  private DefaultRegistrations() {}

  private static Row row(int id, Class<?> type, Function<Kryo, Serializer<?>> serializer) {
    return new Row(id, type, serializer);
  }

  /** The table, in id order. */
  static List<Row> rows() {
    return ROWS;
  }

  /** Registers the table on a fresh Kryo. */
  static void registerAll(Kryo kryo) {
    for (Row row : ROWS) {
      kryo.register(row.type(), row.serializer().apply(kryo), row.id());
    }
  }

  /** True when the codec registers this class (binary name) by itself. */
  static boolean isBuiltIn(String className) {
    return NAMES.contains(className);
  }

  /** The binary names of all built-in registrations. */
  static Set<String> names() {
    return NAMES;
  }
}
