package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collection and map serializers that check a declared size before creating anything of that
 * size. They replace Kryo's {@code CollectionSerializer} and {@code MapSerializer}, whose
 * {@code create(…)} does {@code new ArrayList<>(size)} / {@code new HashMap(size)} with the size
 * read from the payload (see docs/guarantees.md, security rule S3 and bad-input test B6).
 *
 * <p>The format is deliberately plain: a varint size, the comparator of sorted types, then every
 * element (or key and value) with its class ({@code writeClassAndObject}). Every element costs at
 * least one byte, which is what {@link BoundedInput#claim} relies on; Kryo's own format can encode
 * a collection of {@code n} nulls in two bytes.
 *
 * <ul>
 *   <li>Sorted types keep their comparator, which must itself be an allowed class.
 *   <li>{@code List.of}/{@code Set.of}/{@code Map.of} come back as the same kind of immutable
 *       collection; an immutable list holding nulls ({@code Stream.toList()}) comes back as an
 *       unmodifiable list.
 *   <li>Fields a collection subclass adds are not written (as with Kryo's own serializers), and
 *       {@link LinkedHashMap}'s access order is not kept.
 * </ul>
 */
final class BoundedCollectionSerializers {

  private static final Class<?> LIST12 = List.of(1).getClass();
  private static final Class<?> LISTN = List.of().getClass();
  private static final Class<?> SET12 = Set.of(1).getClass();
  private static final Class<?> SETN = Set.of().getClass();
  private static final Class<?> MAP1 = Map.of(1, 1).getClass();
  private static final Class<?> MAPN = Map.of().getClass();
  private static final Class<?> ARRAYS_AS_LIST = Arrays.asList().getClass();

  private BoundedCollectionSerializers() {}

  /**
   * The serializer for a {@link Collection} or {@link Map} type.
   *
   * @throws ClassNotAllowedException for types whose invariants this format cannot restore
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Serializer<?> forType(Class<?> type) {
    if (type == LIST12 || type == LISTN) {
      return new ImmutableListSerializer();
    }
    if (type == SET12 || type == SETN) {
      return new ImmutableSetSerializer();
    }
    if (type == MAP1 || type == MAPN) {
      return new ImmutableMapSerializer();
    }
    if (type == ARRAYS_AS_LIST) {
      return new ArraysAsListSerializer();
    }
    if (PriorityQueue.class.isAssignableFrom(type) || EnumMap.class.isAssignableFrom(type)) {
      throw ClassNotAllowedException.unsupported(type, "is not supported by the L2 codec");
    }
    if (Map.class.isAssignableFrom(type)) {
      return new MapSerializer(type);
    }
    if (Collection.class.isAssignableFrom(type)) {
      return new CollectionSerializer(type);
    }
    throw new IllegalArgumentException(type.getName() + " is neither a Collection nor a Map");
  }

  /** Creates the collection or map of a type, sized for what the payload can really hold. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> T create(Kryo kryo, Class<?> type, int size, Comparator<?> comparator) {
    if (type == ArrayList.class) {
      return (T) new ArrayList<>(size);
    }
    if (type == HashMap.class) {
      return (T) new HashMap<>(hashCapacity(size));
    }
    if (type == HashSet.class) {
      return (T) new HashSet<>(hashCapacity(size));
    }
    if (type == LinkedHashMap.class) {
      return (T) new LinkedHashMap<>(hashCapacity(size));
    }
    if (type == LinkedHashSet.class) {
      return (T) new LinkedHashSet<>(hashCapacity(size));
    }
    if (type == LinkedList.class) {
      return (T) new LinkedList<>();
    }
    if (type == ArrayDeque.class) {
      return (T) new ArrayDeque<>(size);
    }
    if (type == TreeSet.class) {
      return (T) new TreeSet<>((Comparator) comparator);
    }
    if (type == TreeMap.class) {
      return (T) new TreeMap<>((Comparator) comparator);
    }
    if (comparator == null) {
      return (T) kryo.newInstance(type);
    }
    try {
      return (T) type.getConstructor(Comparator.class).newInstance(comparator);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
             | InvocationTargetException e) {
      throw new KryoException("cannot create " + type.getName() + " with a comparator", e);
    }
  }

  private static int hashCapacity(int size) {
    return size < 12 ? 16 : (int) Math.min(1L << 30, (long) (size / 0.75f) + 1);
  }

  private static int writeElements(Kryo kryo, Output output, Collection<?> elements) {
    int written = 0;
    for (Object element : elements) {
      kryo.writeClassAndObject(output, element);
      written++;
    }
    return written;
  }

  private static void checkSize(int declared, int written, Object collection) {
    if (declared != written) {
      throw new KryoException("the size of a " + collection.getClass().getName()
          + " changed while it was encoded (" + declared + " → " + written + ")");
    }
  }

  private static Object[] readElements(Kryo kryo, Input input) {
    int size = input.readVarInt(true);
    BoundedInput.claim(input, size, 1);
    Object[] elements = new Object[size];
    for (int i = 0; i < size; i++) {
      elements[i] = kryo.readClassAndObject(input);
    }
    return elements;
  }

  /** Mutable collections, sorted ones with their comparator. */
  private static final class CollectionSerializer extends Serializer<Collection<Object>> {
    private final boolean sorted;

    CollectionSerializer(Class<?> type) {
      this.sorted = SortedSet.class.isAssignableFrom(type);
    }

    @Override
    public void write(Kryo kryo, Output output, Collection<Object> collection) {
      int size = collection.size();
      output.writeVarInt(size, true);
      if (sorted) {
        kryo.writeClassAndObject(output, ((SortedSet<?>) collection).comparator());
      }
      checkSize(size, writeElements(kryo, output, collection), collection);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      int size = input.readVarInt(true);
      BoundedInput.claim(input, size, 1);
      Comparator<?> comparator = sorted ? (Comparator<?>) kryo.readClassAndObject(input) : null;
      Collection<Object> collection = create(kryo, type, size, comparator);
      for (int i = 0; i < size; i++) {
        collection.add(kryo.readClassAndObject(input));
      }
      return collection;
    }
  }

  /** Mutable maps, sorted ones with their comparator. */
  private static final class MapSerializer extends Serializer<Map<Object, Object>> {
    private final boolean sorted;

    MapSerializer(Class<?> type) {
      this.sorted = SortedMap.class.isAssignableFrom(type);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      int size = map.size();
      output.writeVarInt(size, true);
      if (sorted) {
        kryo.writeClassAndObject(output, ((SortedMap<?, ?>) map).comparator());
      }
      int written = 0;
      for (Map.Entry<Object, Object> entry : map.entrySet()) {
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
        written++;
      }
      checkSize(size, written, map);
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int size = input.readVarInt(true);
      BoundedInput.claim(input, size, 2);
      Comparator<?> comparator = sorted ? (Comparator<?>) kryo.readClassAndObject(input) : null;
      Map<Object, Object> map = create(kryo, type, size, comparator);
      for (int i = 0; i < size; i++) {
        Object key = kryo.readClassAndObject(input);
        map.put(key, kryo.readClassAndObject(input));
      }
      return map;
    }
  }

  /** {@code List.of(…)}, {@code List.copyOf}, {@code Stream.toList()}. */
  private static final class ImmutableListSerializer extends Serializer<List<Object>> {
    ImmutableListSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, List<Object> list) {
      int size = list.size();
      output.writeVarInt(size, true);
      checkSize(size, writeElements(kryo, output, list), list);
    }

    @Override
    public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
      Object[] elements = readElements(kryo, input);
      for (Object element : elements) {
        if (element == null) {
          return Collections.unmodifiableList(Arrays.asList(elements));
        }
      }
      return List.of(elements);
    }
  }

  /** {@code Set.of(…)}, {@code Set.copyOf}. */
  private static final class ImmutableSetSerializer extends Serializer<Set<Object>> {
    ImmutableSetSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Set<Object> set) {
      int size = set.size();
      output.writeVarInt(size, true);
      checkSize(size, writeElements(kryo, output, set), set);
    }

    @Override
    public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
      return Set.of(readElements(kryo, input));
    }
  }

  /** {@code Map.of(…)}, {@code Map.copyOf}. */
  private static final class ImmutableMapSerializer extends Serializer<Map<Object, Object>> {
    ImmutableMapSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      int size = map.size();
      output.writeVarInt(size, true);
      int written = 0;
      for (Map.Entry<Object, Object> entry : map.entrySet()) {
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
        written++;
      }
      checkSize(size, written, map);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int size = input.readVarInt(true);
      BoundedInput.claim(input, size, 2);
      Map.Entry<Object, Object>[] entries = new Map.Entry[size];
      for (int i = 0; i < size; i++) {
        Object key = kryo.readClassAndObject(input);
        entries[i] = Map.entry(key, kryo.readClassAndObject(input));
      }
      return Map.ofEntries(entries);
    }
  }

  /** {@code Arrays.asList(…)}: fixed size, nulls allowed. */
  private static final class ArraysAsListSerializer extends Serializer<List<Object>> {
    @Override
    public void write(Kryo kryo, Output output, List<Object> list) {
      int size = list.size();
      output.writeVarInt(size, true);
      checkSize(size, writeElements(kryo, output, list), list);
    }

    @Override
    public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
      return Arrays.asList(readElements(kryo, input));
    }
  }
}
