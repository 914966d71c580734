package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Copies of the {@code Collections.unmodifiable*} and {@code Collections.synchronized*} views.
 * Kryo's generic collection serializers cannot rebuild them: they instantiate the view without
 * its backing collection and then call {@code add}, which the view refuses (or finds no mutex).
 * The module system hides the backing field, so the copy iterates the view instead:
 *
 * <ul>
 *   <li>the elements (or entries) are deep-copied into a new backing collection of the same
 *       family, {@code ArrayList} for lists and collections, {@code LinkedHashSet} /
 *       {@code LinkedHashMap} for sets and maps (iteration order kept), {@code TreeSet} /
 *       {@code TreeMap} with the same comparator for sorted ones;
 *   <li>which is wrapped with the same {@code Collections} factory. The copy is equal to the
 *       original; only the backing class may differ (an unmodifiable {@code LinkedList} comes
 *       back over an {@code ArrayList}).
 * </ul>
 */
final class CollectionWrapperCopies {

  /** How one view class is rebuilt: a new backing collection, and the view over it. */
  private record Kind(Function<Object, Object> newBacking, Function<Object, Object> wrap) {}

  private static final Map<Class<?>, Kind> KINDS = kinds();

  private CollectionWrapperCopies() {}

  /** The copy serializer of a view class, or null when {@code type} is none of them. */
  static Serializer<?> forType(Class<?> type) {
    Kind kind = KINDS.get(type);
    if (kind == null) {
      return null;
    }
    return Map.class.isAssignableFrom(type) ? new MapViewSerializer(kind)
        : new CollectionViewSerializer(kind);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<Class<?>, Kind> kinds() {
    Map<Class<?>, Kind> kinds = new HashMap<>();
    Function<Object, Object> list = original -> new ArrayList<>();
    Function<Object, Object> set = original -> new LinkedHashSet<>();
    Function<Object, Object> sortedSet = original -> new TreeSet<>(((SortedSet) original).comparator());
    Function<Object, Object> map = original -> new LinkedHashMap<>();
    Function<Object, Object> sortedMap = original -> new TreeMap<>(((SortedMap) original).comparator());
    add(kinds, Collections.unmodifiableCollection(new ArrayList<>()), list, c -> Collections.unmodifiableCollection((Collection) c));
    add(kinds, Collections.unmodifiableList(new ArrayList<>()), list, c -> Collections.unmodifiableList((List) c));
    add(kinds, Collections.unmodifiableList(new LinkedList<>()), list, c -> Collections.unmodifiableList((List) c));
    add(kinds, Collections.unmodifiableSet(new LinkedHashSet<>()), set, c -> Collections.unmodifiableSet((java.util.Set) c));
    add(kinds, Collections.unmodifiableSortedSet(new TreeSet<>()), sortedSet, c -> Collections.unmodifiableSortedSet((SortedSet) c));
    add(kinds, Collections.unmodifiableNavigableSet(new TreeSet<>()), sortedSet, c -> Collections.unmodifiableNavigableSet((NavigableSet) c));
    add(kinds, Collections.unmodifiableMap(new LinkedHashMap<>()), map, m -> Collections.unmodifiableMap((Map) m));
    add(kinds, Collections.unmodifiableSortedMap(new TreeMap<>()), sortedMap, m -> Collections.unmodifiableSortedMap((SortedMap) m));
    add(kinds, Collections.unmodifiableNavigableMap(new TreeMap<>()), sortedMap, m -> Collections.unmodifiableNavigableMap((NavigableMap) m));
    add(kinds, Collections.synchronizedCollection(new ArrayList<>()), list, c -> Collections.synchronizedCollection((Collection) c));
    add(kinds, Collections.synchronizedList(new ArrayList<>()), list, c -> Collections.synchronizedList((List) c));
    add(kinds, Collections.synchronizedList(new LinkedList<>()), list, c -> Collections.synchronizedList((List) c));
    add(kinds, Collections.synchronizedSet(new LinkedHashSet<>()), set, c -> Collections.synchronizedSet((java.util.Set) c));
    add(kinds, Collections.synchronizedSortedSet(new TreeSet<>()), sortedSet, c -> Collections.synchronizedSortedSet((SortedSet) c));
    add(kinds, Collections.synchronizedNavigableSet(new TreeSet<>()), sortedSet, c -> Collections.synchronizedNavigableSet((NavigableSet) c));
    add(kinds, Collections.synchronizedMap(new LinkedHashMap<>()), map, m -> Collections.synchronizedMap((Map) m));
    add(kinds, Collections.synchronizedSortedMap(new TreeMap<>()), sortedMap, m -> Collections.synchronizedSortedMap((SortedMap) m));
    add(kinds, Collections.synchronizedNavigableMap(new TreeMap<>()), sortedMap, m -> Collections.synchronizedNavigableMap((NavigableMap) m));
    return Map.copyOf(kinds);
  }

  private static void add(Map<Class<?>, Kind> kinds, Object sample, Function<Object, Object> newBacking,
      Function<Object, Object> wrap) {
    kinds.put(sample.getClass(), new Kind(newBacking, wrap));
  }

  /**
   * Views of collections. They are read with {@code forEach}, which a synchronized view runs
   * under its own lock.
   */
  private static final class CollectionViewSerializer extends CopyOnlySerializer<Collection<Object>> {
    private final Kind kind;

    CollectionViewSerializer(Kind kind) {
      this.kind = kind;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<Object> copy(Kryo kryo, Collection<Object> original) {
      Collection<Object> backing = (Collection<Object>) kind.newBacking().apply(original);
      Collection<Object> copy = (Collection<Object>) kind.wrap().apply(backing);
      kryo.reference(copy); // before the elements, so an element referring back gets this copy
      original.forEach(element -> backing.add(kryo.copy(element)));
      return copy;
    }
  }

  /** Views of maps. */
  private static final class MapViewSerializer extends CopyOnlySerializer<Map<Object, Object>> {
    private final Kind kind;

    MapViewSerializer(Kind kind) {
      this.kind = kind;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<Object, Object> copy(Kryo kryo, Map<Object, Object> original) {
      Map<Object, Object> backing = (Map<Object, Object>) kind.newBacking().apply(original);
      Map<Object, Object> copy = (Map<Object, Object>) kind.wrap().apply(backing);
      kryo.reference(copy);
      original.forEach((key, value) -> backing.put(kryo.copy(key), kryo.copy(value)));
      return copy;
    }
  }
}
