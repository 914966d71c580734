package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.ExternalizableSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.util.Map;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The Kryo instance of the L2 codec, configured for bytes that an attacker may have written
 * (see docs/guarantees.md, security rules S1–S3). Not thread-safe: {@link KryoEntryCodec} pools instances.
 *
 * <ul>
 *   <li>Classes: {@link DefaultRegistrations} and {@code codec.registrations} by fixed id, allowed
 *       prefixes by name, nothing else ({@link AllowListClassResolver}).
 *   <li>No references ({@code setReferences(false)}): nothing in a payload can point back into
 *       the graph; cyclic values are refused when encoding (they exceed the depth limit).
 *   <li>{@code setMaxDepth(codec.max-depth)} against stack exhaustion.
 *   <li>Generic-type optimisation is off, so every element carries its class and each element
 *       costs at least one byte (what {@link BoundedInput} relies on).
 *   <li>Java serialization is never used: a type whose default serializer would be
 *       {@code JavaSerializer} or {@code ExternalizableSerializer} (for example through a
 *       {@code @DefaultSerializer} annotation), and lambdas, are refused.
 *   <li>Collections, maps and object arrays get the bounded serializers; {@code java.awt.Color}
 *       gets {@link ColorSerializer}.
 * </ul>
 */
final class SafeKryo extends Kryo {

  SafeKryo(ClassAllowList allowList, ClassLoader classLoader, int maxDepth,
      Map<Integer, Class<?>> registrations) {
    super(new AllowListClassResolver(allowList), null);
    // The resolver enforces the allow-list; required registration would also block allowed classes.
    setRegistrationRequired(false);
    setReferences(false);
    setOptimizedGenerics(false);
    setMaxDepth(maxDepth);
    setClassLoader(classLoader);
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    DefaultRegistrations.registerAll(this);
    registrations.forEach((id, type) -> register(type, getDefaultSerializer(type), id));
  }

  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Serializer getDefaultSerializer(Class type) {
    if (type.getName().equals(ColorSerializer.CLASS_NAME)) {
      return new ColorSerializer();
    }
    Serializer<?> serializer = super.getDefaultSerializer(type);
    if (serializer instanceof JavaSerializer || serializer instanceof ExternalizableSerializer) {
      throw ClassNotAllowedException.unsupported(type, "would be read with Java serialization, "
          + "which the L2 codec never uses");
    }
    if (serializer instanceof ClosureSerializer) {
      throw ClassNotAllowedException.unsupported(type, "is a lambda; lambdas are not stored in L2");
    }
    if (serializer.getClass() == DefaultArraySerializers.ObjectArraySerializer.class) {
      return new BoundedArraySerializers.ObjectArraySerializer(this, type);
    }
    if (serializer.getClass() == DefaultArraySerializers.StringArraySerializer.class) {
      return new BoundedArraySerializers.StringArraySerializer();
    }
    if (serializer.getClass() == DefaultArraySerializers.BooleanArraySerializer.class) {
      return new BoundedArraySerializers.BooleanArraySerializer();
    }
    if (serializer instanceof com.esotericsoftware.kryo.serializers.CollectionSerializer
        || serializer instanceof com.esotericsoftware.kryo.serializers.MapSerializer) {
      return BoundedCollectionSerializers.forType(type);
    }
    return serializer;
  }
}
