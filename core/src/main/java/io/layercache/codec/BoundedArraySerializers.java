package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;

/**
 * Kryo's {@code Object[]}, {@code String[]} and {@code boolean[]} serializers, with the declared
 * length claimed from the payload before Kryo allocates the array (Kryo 5.6.2 does
 * {@code Array.newInstance(component, length)}, {@code new String[length]} and
 * {@code new boolean[length]} with the length read from the payload).
 *
 * <p>Each peeks at the varint length, {@linkplain BoundedInput#claim claims} one byte per
 * element, rewinds and lets Kryo read as usual, so the format stays Kryo's. The other primitive
 * arrays need no serializer of their own: they allocate in {@link BoundedInput}'s bulk reads.
 * {@code boolean[]} is the exception: Kryo's serializer does {@code new boolean[length]} itself.
 */
final class BoundedArraySerializers {

  private BoundedArraySerializers() {}

  private static void claimLength(Input input) {
    int start = input.position();
    int lengthPlusOne = input.readVarInt(true);
    if (lengthPlusOne != Kryo.NULL) {
      BoundedInput.claim(input, lengthPlusOne - 1L, 1);
    }
    input.setPosition(start);
  }

  /** Arrays of objects, any component type and dimension. */
  static final class ObjectArraySerializer extends DefaultArraySerializers.ObjectArraySerializer {
    ObjectArraySerializer(Kryo kryo, Class<?> type) {
      super(kryo, type);
    }

    @Override
    @SuppressWarnings("rawtypes") // Kryo's signature
    public Object[] read(Kryo kryo, Input input, Class type) {
      claimLength(input);
      return super.read(kryo, input, type);
    }
  }

  /** {@code boolean[]}. */
  static final class BooleanArraySerializer extends DefaultArraySerializers.BooleanArraySerializer {
    @Override
    @SuppressWarnings("rawtypes") // Kryo's signature
    public boolean[] read(Kryo kryo, Input input, Class type) {
      claimLength(input);
      return super.read(kryo, input, type);
    }
  }

  /** {@code String[]}. */
  static final class StringArraySerializer extends DefaultArraySerializers.StringArraySerializer {
    @Override
    @SuppressWarnings("rawtypes") // Kryo's signature
    public String[] read(Kryo kryo, Input input, Class type) {
      claimLength(input);
      return super.read(kryo, input, type);
    }
  }
}
