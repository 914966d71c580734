package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import java.net.URI;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Copy serializers for JDK types that Kryo 5 copies wrongly under the Java 17 module system, so
 * that they stay on the fast Kryo path instead of the Java serialization fallback:
 *
 * <ul>
 *   <li>{@code UUID}, {@code URI}, {@code Pattern} and the {@code Atomic*} holders: Kryo has
 *       serializers for them but does not make them defaults, so its field serializer would fail
 *       on their hidden fields. (The other common JDK values, {@code java.time}, {@code Locale},
 *       {@code Currency}, {@code URL}, {@code Optional}, {@code List.of}…, already have working
 *       Kryo defaults.)
 *   <li>Map entries ({@code AbstractMap.SimpleEntry}, {@code SimpleImmutableEntry},
 *       {@code Map.entry}), rebuilt from copies of their key and value.
 *   <li>{@code EnumMap}, which Kryo's map serializer instantiates without its key type.
 *   <li>{@code Collections.emptySortedSet()}/{@code emptyNavigableSet()} and the sorted/navigable
 *       empty maps: immutable and empty, shared as they are.
 *   <li>The unmodifiable and synchronized views ({@link CollectionWrapperCopies}).
 *   <li>{@code java.awt.Color} ({@link ColorSerializer}), matched by name so AWT is not loaded.
 * </ul>
 */
final class JdkCopySerializers {

  private static final Map<Class<?>, Supplier<Serializer<?>>> BY_CLASS = Map.ofEntries(
      Map.entry(UUID.class, DefaultSerializers.UUIDSerializer::new),
      Map.entry(URI.class, DefaultSerializers.URISerializer::new),
      Map.entry(Pattern.class, DefaultSerializers.PatternSerializer::new),
      Map.entry(AtomicBoolean.class, DefaultSerializers.AtomicBooleanSerializer::new),
      Map.entry(AtomicInteger.class, DefaultSerializers.AtomicIntegerSerializer::new),
      Map.entry(AtomicLong.class, DefaultSerializers.AtomicLongSerializer::new),
      Map.entry(AtomicReference.class, DefaultSerializers.AtomicReferenceSerializer::new),
      Map.entry(AbstractMap.SimpleEntry.class, EntrySerializer::new),
      Map.entry(AbstractMap.SimpleImmutableEntry.class, EntrySerializer::new),
      Map.entry(Map.entry(1, 1).getClass(), EntrySerializer::new),
      Map.entry(EnumMap.class, EnumMapSerializer::new),
      Map.entry(Collections.emptyNavigableSet().getClass(), SharedSerializer::new),
      Map.entry(Collections.emptyNavigableMap().getClass(), SharedSerializer::new));

  private JdkCopySerializers() {}

  /** The copy serializer for {@code type}, or null when Kryo's own default is right. */
  static Serializer<?> forType(Class<?> type) {
    Supplier<Serializer<?>> serializer = BY_CLASS.get(type);
    if (serializer != null) {
      return serializer.get();
    }
    if (type.getName().equals(ColorSerializer.CLASS_NAME)) {
      return new ColorSerializer();
    }
    return CollectionWrapperCopies.forType(type);
  }

  /** Immutable objects Kryo would otherwise try to rebuild. */
  private static final class SharedSerializer extends CopyOnlySerializer<Object> {
    @Override
    public Object copy(Kryo kryo, Object original) {
      return original;
    }
  }

  /** Map entries of the three JDK kinds, each rebuilt as the same kind. */
  private static final class EntrySerializer extends CopyOnlySerializer<Map.Entry<Object, Object>> {
    @Override
    public Map.Entry<Object, Object> copy(Kryo kryo, Map.Entry<Object, Object> original) {
      Object key = kryo.copy(original.getKey());
      Object value = kryo.copy(original.getValue());
      Map.Entry<Object, Object> copy;
      if (original instanceof AbstractMap.SimpleEntry) {
        copy = new AbstractMap.SimpleEntry<>(key, value);
      } else if (original instanceof AbstractMap.SimpleImmutableEntry) {
        copy = new AbstractMap.SimpleImmutableEntry<>(key, value);
      } else {
        copy = Map.entry(key, value);
      }
      kryo.getOriginalToCopyMap().put(original, copy);
      return copy;
    }
  }

  /** {@code EnumMap}: the JDK's copy constructor keeps the key type; the values are copied. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class EnumMapSerializer extends CopyOnlySerializer<EnumMap> {
    @Override
    public EnumMap copy(Kryo kryo, EnumMap original) {
      EnumMap copy = new EnumMap(original);
      kryo.reference(copy);
      copy.replaceAll((key, value) -> kryo.copy(value));
      return copy;
    }
  }
}
