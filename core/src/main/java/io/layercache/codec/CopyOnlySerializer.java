package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * A Kryo serializer of the store-by-value copier ({@link CopyKryo}), which only copies in
 * memory: it never writes or reads bytes, so these serializers cannot end up in the L2 codec's
 * format by accident.
 *
 * @param <T> the copied type
 */
abstract class CopyOnlySerializer<T> extends Serializer<T> {

  @Override
  public abstract T copy(Kryo kryo, T original);

  @Override
  public final void write(Kryo kryo, Output output, T object) {
    throw new UnsupportedOperationException("copy only: the store-by-value copier writes no bytes");
  }

  @Override
  public final T read(Kryo kryo, Input input, Class<? extends T> type) {
    throw new UnsupportedOperationException("copy only: the store-by-value copier reads no bytes");
  }
}
