package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store-by-value copier on JDK types whose fields the Java 17 module system hides from
 * Kryo: each is copied, equal to the original, inside a user object, and the common ones stay on
 * the Kryo path (no Java serialization).
 */
class KryoCopierJdkTypesTest {

  /** A user value holding anything, as a JCache client would store it. */
  static final class Holder implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object content;

    Holder(Object content) {
      this.content = content;
    }
  }

  enum Size { S, M }

  private final KryoCopier copier = new KryoCopier(getClass().getClassLoader());

  static Stream<Arguments> kryoPathTypes() throws Exception {
    return Stream.of(
        sample("UUID", UUID.randomUUID()),
        sample("URI", URI.create("https://example.com/a?b=c")),
        sample("URL", new URL("https://example.com/a")),
        sample("Locale", Locale.CANADA_FRENCH),
        sample("Currency", Currency.getInstance("EUR")),
        sample("Pattern", Pattern.compile("a+b"), p -> ((Pattern) p).pattern()),
        sample("Instant", Instant.ofEpochSecond(42)),
        sample("ZoneId", ZoneId.of("Europe/Paris")),
        sample("Optional", Optional.of(new ArrayList<>(List.of("x")))),
        sample("AtomicBoolean", new AtomicBoolean(true), a -> ((AtomicBoolean) a).get()),
        sample("AtomicInteger", new AtomicInteger(7), a -> ((AtomicInteger) a).get()),
        sample("AtomicLong", new AtomicLong(7), a -> ((AtomicLong) a).get()),
        sample("AtomicReference", new AtomicReference<>("x"), a -> ((AtomicReference<?>) a).get()),
        sample("SimpleEntry", new AbstractMap.SimpleEntry<>("k", new ArrayList<>(List.of(1)))),
        sample("SimpleImmutableEntry", new AbstractMap.SimpleImmutableEntry<>("k", 1)),
        sample("Map.entry", Map.entry("k", 1)),
        sample("EnumMap", new EnumMap<>(Map.of(Size.S, new ArrayList<>(List.of(1))))),
        sample("emptySortedSet", Collections.emptySortedSet()),
        sample("emptyNavigableMap", Collections.emptyNavigableMap()),
        sample("List.of", List.of(1, 2, 3)),
        sample("Arrays.asList", Arrays.asList(1, null, 3)),
        sample("Serializable[]", new Serializable[] {UUID.randomUUID(), 1L}, a -> List.of((Object[]) a)));
  }

  static Stream<Arguments> javaSerializationTypes() throws Exception {
    return Stream.of(
        sample("LongAdder", adder(5), a -> ((LongAdder) a).sum()),
        sample("File", new File("/tmp/x")),
        sample("InetAddress", InetAddress.getLoopbackAddress()),
        sample("exception", new IllegalStateException("boom"), e -> ((Throwable) e).getMessage()),
        sample("checkedList", Collections.checkedList(new ArrayList<>(List.of(1)), Integer.class)),
        sample("nCopies", Collections.nCopies(3, "a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"kryoPathTypes", "javaSerializationTypes"})
  void aJdkValueInsideAUserObjectIsCopiedEqual(String name, Object value,
      Function<Object, Object> view) {
    Holder held = copier.copy(new Holder(value));

    assertThat(view.apply(held.content)).isEqualTo(view.apply(value));
    assertThat(copier.copiesWithJavaSerialization(Holder.class)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kryoPathTypes")
  void commonJdkTypesStayOnTheKryoPath(String name, Object value, Function<Object, Object> view) {
    CopyKryo kryo = new CopyKryo(getClass().getClassLoader());

    assertThat(kryo.getSerializer(value.getClass())).isNotInstanceOf(JavaRoundTrip.CopySerializer.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javaSerializationTypes")
  void jdkTypesKryoCannotReachAreCopiedWithJavaSerializationInsideTheGraph(String name, Object value,
      Function<Object, Object> view) {
    CopyKryo kryo = new CopyKryo(getClass().getClassLoader());

    assertThat(kryo.getSerializer(value.getClass())).isInstanceOf(JavaRoundTrip.CopySerializer.class);
  }

  static Stream<Arguments> views() {
    return Stream.of(
        view("unmodifiableCollection", c -> Collections.unmodifiableCollection(c)),
        view("unmodifiableList", c -> Collections.unmodifiableList(new ArrayList<>(c))),
        view("unmodifiableList(LinkedList)", c -> Collections.unmodifiableList(new LinkedList<>(c))),
        view("unmodifiableSet", c -> Collections.unmodifiableSet(new LinkedHashSet<>(c))),
        view("unmodifiableSortedSet", c -> Collections.unmodifiableSortedSet(new TreeSet<>(c))),
        view("unmodifiableNavigableSet", c -> Collections.unmodifiableNavigableSet(new TreeSet<>(c))),
        view("unmodifiableMap", c -> Collections.unmodifiableMap(asMap(c))),
        view("unmodifiableSortedMap", c -> Collections.unmodifiableSortedMap(new TreeMap<>(asMap(c)))),
        view("unmodifiableNavigableMap", c -> Collections.unmodifiableNavigableMap(new TreeMap<>(asMap(c)))),
        view("synchronizedCollection", c -> Collections.synchronizedCollection(c)),
        view("synchronizedList", c -> Collections.synchronizedList(new ArrayList<>(c))),
        view("synchronizedSet", c -> Collections.synchronizedSet(new LinkedHashSet<>(c))),
        view("synchronizedSortedSet", c -> Collections.synchronizedSortedSet(new TreeSet<>(c))),
        view("synchronizedNavigableSet", c -> Collections.synchronizedNavigableSet(new TreeSet<>(c))),
        view("synchronizedMap", c -> Collections.synchronizedMap(asMap(c))),
        view("synchronizedSortedMap", c -> Collections.synchronizedSortedMap(new TreeMap<>(asMap(c)))),
        view("synchronizedNavigableMap", c -> Collections.synchronizedNavigableMap(new TreeMap<>(asMap(c)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("views")
  void collectionViewsAreCopiedDeeplyAsTheSameKindOfView(String name,
      Function<Collection<Box>, Object> factory) {
    Box box = new Box(1);
    Object original = factory.apply(new ArrayList<>(List.of(box, new Box(2))));

    Object copy = copier.copy(original);
    box.value = 99;

    assertThat(copy).isNotSameAs(original);
    assertThat(viewName(copy)).isEqualTo(viewName(original));
    assertThat(elements(copy)).extracting(b -> b.value).containsExactlyInAnyOrder(1, 2);
    assertThat(elements(original)).extracting(b -> b.value).containsExactlyInAnyOrder(99, 2);
    assertThat(new CopyKryo(getClass().getClassLoader()).getSerializer(original.getClass()))
        .isNotInstanceOf(JavaRoundTrip.CopySerializer.class);
  }

  @Test
  void anUnmodifiableCopyStaysUnmodifiable() {
    List<String> copy = copier.copy(Collections.unmodifiableList(new ArrayList<>(List.of("a"))));

    assertThatThrownBy(() -> copy.add("b")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aRecordWithAMutableComponentIsCopiedNotShared() {
    Line line = new Line("sku-1", new ArrayList<>(List.of("red")));

    Line copy = copier.copy(line);
    line.tags().add("blue");

    assertThat(copy).isNotSameAs(line);
    assertThat(copy.tags()).containsExactly("red");
  }

  @Test
  void aRecordOfImmutableComponentsIsNotCopied() {
    Money money = new Money("EUR", 1250, LocalDate.of(2024, 1, 1));

    assertThat(copier.copy(money)).isSameAs(money);
  }

  /** A mutable element, to see whether a copy is deep. Ordered by value for sorted views. */
  static final class Box implements Serializable, Comparable<Box> {
    private static final long serialVersionUID = 1L;
    int value;

    Box(int value) {
      this.value = value;
    }

    @Override
    public int compareTo(Box other) {
      return Integer.compare(System.identityHashCode(this), System.identityHashCode(other));
    }
  }

  record Line(String sku, List<String> tags) implements Serializable {}

  record Money(String currency, long cents, LocalDate day) implements Serializable {}

  private static Arguments sample(String name, Object value) {
    return sample(name, value, Function.identity());
  }

  private static Arguments sample(String name, Object value, Function<Object, Object> view) {
    return Arguments.of(name, value, view);
  }

  private static Arguments view(String name, Function<Collection<Box>, Object> factory) {
    return Arguments.of(name, factory);
  }

  private static LongAdder adder(long value) {
    LongAdder adder = new LongAdder();
    adder.add(value);
    return adder;
  }

  private static Map<Box, Box> asMap(Collection<Box> boxes) {
    Map<Box, Box> map = new LinkedHashMap<>();
    boxes.forEach(b -> map.put(b, b));
    return map;
  }

  private static String viewName(Object view) {
    return view.getClass().getName().replace("RandomAccess", "");
  }

  @SuppressWarnings("unchecked")
  private static List<Box> elements(Object view) {
    Collection<Box> boxes = view instanceof Map<?, ?> map ? (Collection<Box>) map.values() : (Collection<Box>) view;
    return new ArrayList<>(boxes);
  }
}
