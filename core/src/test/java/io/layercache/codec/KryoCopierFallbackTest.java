package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercache.codec.testdomain.Address;
import io.layercache.codec.testdomain.Person;
import io.layercache.codec.testdomain.Status;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The store-by-value copier beyond plain Kryo: the Java serialization fallback and its cached
 * per-class decision, {@code readResolve} singletons, graph shape, and what is still refused.
 */
class KryoCopierFallbackTest {

  private final KryoCopier copier = new KryoCopier(getClass().getClassLoader());

  /** Hibernate's soft lock in miniature: a UUID and a comparator inside a user class. */
  static final class SoftLock implements Serializable {
    private static final long serialVersionUID = 1L;
    final UUID source = UUID.randomUUID();
    final long lockId = 7;
    final java.util.Comparator<Integer> versions = java.util.Comparator.naturalOrder();

    @Override
    public boolean equals(Object o) {
      return o instanceof SoftLock other && other.lockId == lockId && other.source.equals(source);
    }

    @Override
    public int hashCode() {
      return source.hashCode();
    }
  }

  /** A fixed-size list Kryo cannot rebuild: it creates an empty one and calls add, refused. */
  static final class FixedList extends AbstractList<String> implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger ADD_ATTEMPTS = new AtomicInteger();
    private final String[] items;

    FixedList(String... items) {
      this.items = items.clone();
    }

    @Override
    public String get(int index) {
      return items[index];
    }

    @Override
    public int size() {
      return items.length;
    }

    @Override
    public boolean add(String element) {
      ADD_ATTEMPTS.incrementAndGet();
      throw new UnsupportedOperationException("fixed size");
    }
  }

  /** A canonical instance compared by identity, like Spring's NullValue. */
  static final class Marker implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Marker INSTANCE = new Marker();

    private Marker() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }

  /** readResolve that depends on the copied state. */
  static final class Level implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Level LOW = new Level(0);
    static final Level HIGH = new Level(1);
    private final int code;

    private Level(int code) {
      this.code = code;
    }

    private Object readResolve() {
      return code == 0 ? LOW : HIGH;
    }
  }

  /** Serializable, but reaches an object neither Kryo nor Java serialization can copy. */
  static final class HoldsAKeyView implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object keys = new HashMap<>(Map.of("a", 1)).keySet();
  }

  @Test
  void aSoftLockWithAUuidIsCopiedOnTheKryoPath() {
    SoftLock lock = new SoftLock();

    SoftLock copy = copier.copy(lock);

    assertThat(copy).isEqualTo(lock).isNotSameAs(lock);
    assertThat(copy.versions.compare(1, 2)).isNegative();
    assertThat(copier.copiesWithJavaSerialization(SoftLock.class)).isFalse();
  }

  @Test
  void aValueKryoCannotCopyIsCopiedWithJavaSerializationAndTheDecisionIsCached() {
    FixedList.ADD_ATTEMPTS.set(0);
    FixedList list = new FixedList("a", "b");

    List<String> first = copier.copy(list);
    int attemptsAfterFirstCopy = FixedList.ADD_ATTEMPTS.get();
    for (int i = 0; i < 20; i++) {
      assertThat(copier.copy(list)).isEqualTo(list).isNotSameAs(list);
    }

    assertThat(first).isInstanceOf(FixedList.class).containsExactly("a", "b");
    assertThat(attemptsAfterFirstCopy).isEqualTo(1);
    assertThat(FixedList.ADD_ATTEMPTS).hasValue(1);
    assertThat(copier.copiesWithJavaSerialization(FixedList.class)).isTrue();
  }

  @Test
  void theFallbackKeepsCopyingDeeply() {
    ArrayList<String> inner = new ArrayList<>(List.of("x"));
    FixedList.ADD_ATTEMPTS.set(0);
    FixedListHolder holder = new FixedListHolder(new FixedList("a"), inner);

    FixedListHolder copy = copier.copy(holder);
    inner.add("changed");

    assertThat(copy.inner).containsExactly("x");
    assertThat(copy.list).containsExactly("a");
  }

  /** A user class holding a value Kryo cannot copy: the whole value falls back. */
  static final class FixedListHolder implements Serializable {
    private static final long serialVersionUID = 1L;
    final FixedList list;
    final ArrayList<String> inner;

    FixedListHolder(FixedList list, ArrayList<String> inner) {
      this.list = list;
      this.inner = inner;
    }
  }

  @Test
  void readResolveSingletonsStayIdenticalOnTheKryoPath() {
    List<Object> graph = new ArrayList<>(List.of(Marker.INSTANCE, "x", Marker.INSTANCE));

    assertThat(copier.copy(Marker.INSTANCE)).isSameAs(Marker.INSTANCE);
    List<Object> copy = copier.copy(graph);

    assertThat(copy.get(0)).isSameAs(Marker.INSTANCE);
    assertThat(copy.get(2)).isSameAs(Marker.INSTANCE);
    assertThat(copier.copiesWithJavaSerialization(Marker.class)).isFalse();
    assertThat(new CopyKryo(getClass().getClassLoader()).getSerializer(Marker.class))
        .isInstanceOf(ReadResolve.ResolvingSerializer.class);
  }

  @Test
  void readResolveSeesTheCopiedState() {
    assertThat(copier.copy(Level.LOW)).isSameAs(Level.LOW);
    assertThat(copier.copy(Level.HIGH)).isSameAs(Level.HIGH);
  }

  @Test
  void sharedReferencesAndCyclesKeepTheirShape() {
    List<Object> shared = new ArrayList<>(List.of("s"));
    List<Object> root = new ArrayList<>();
    root.add(shared);
    root.add(Collections.unmodifiableList(shared));
    root.add(shared);
    root.add(root);

    List<Object> copy = copier.copy(root);

    assertThat(copy.get(0)).isNotSameAs(shared).isSameAs(copy.get(2));
    assertThat(copy.get(3)).isSameAs(copy);
  }

  @Test
  void aTypicalPojoStaysOnTheKryoPath() {
    Person person = new Person("Ada", 36, LocalDate.of(1815, 12, 10), Status.ACTIVE,
        new Address("a", "b"), List.of("x@y"), Map.of("k", 1)).withNote(UUID.randomUUID());

    assertThat(copier.copy(person)).isEqualTo(person).isNotSameAs(person);
    assertThat(copier.copiesWithJavaSerialization(Person.class)).isFalse();
  }

  @Test
  void aValueNeitherCanCopyIsRefusedNamingItsType() {
    assertThatThrownBy(() -> copier.copy(new HoldsAKeyView()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(HoldsAKeyView.class.getName())
        .hasMessageContaining("neither Kryo nor Java serialization");
    assertThat(copier.copiesWithJavaSerialization(HoldsAKeyView.class)).isFalse();
  }

  @Test
  void javaRoundTripResolvesTheWrittenClassesNotNames() {
    Object copy = JavaRoundTrip.copy(new FixedListHolder(new FixedList("a"), new ArrayList<>()));

    assertThat(copy).isInstanceOf(FixedListHolder.class);
    assertThat(copy.getClass()).isSameAs(FixedListHolder.class);
  }
}
