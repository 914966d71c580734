package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.Serializable;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The store-by-value copier: a Kryo deep copy in memory, no bytes involved.
 *
 * <ul>
 *   <li>Immutable JDK types (strings, boxed numbers, {@code java.time}, enums…) are returned as
 *       they are: a String-valued store-by-value cache costs no copy.
 *   <li>Other values must be {@link Serializable}, the JCache contract for store-by-value; others
 *       are refused with an {@link IllegalArgumentException} naming the type.
 *   <li>Object graphs keep their shape (shared references and cycles survive the copy).
 *   <li>Never uses Java serialization (see docs/guarantees.md, security rule S4). {@code java.awt.Color}, whose fields
 *       the module system hides from Kryo, is copied through {@link ColorSerializer}; any other type
 *       Kryo cannot copy is refused with an {@link IllegalArgumentException} naming it.
 * </ul>
 */
public final class KryoCopier implements Copier {

  private final ClassLoader classLoader;
  private final ThreadLocal<Kryo> kryos;

  /** A copier resolving classes through {@code classLoader}. */
  public KryoCopier(ClassLoader classLoader) {
    this.classLoader = classLoader;
    this.kryos = ThreadLocal.withInitial(this::newKryo);
  }

  @Override
  public <T> T copy(T object) {
    if (object == null || ImmutableTypes.isImmutable(object.getClass())) {
      return object;
    }
    if (!(object instanceof Serializable)) {
      throw new IllegalArgumentException("A store-by-value cache copies its keys and values, but "
          + object.getClass().getName() + " is not Serializable; make it Serializable or configure "
          + "the cache with setStoreByValue(false)");
    }
    try {
      return kryos.get().copy(object);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cannot copy a value of type " + object.getClass().getName()
          + " for a store-by-value cache (" + e.getMessage() + "); use setStoreByValue(false) for it", e);
    }
  }

  private Kryo newKryo() {
    Kryo kryo = new Kryo() {
      @Override
      @SuppressWarnings("rawtypes")
      public Serializer getDefaultSerializer(Class type) {
        if (type.getName().equals(ColorSerializer.CLASS_NAME)) {
          return new ColorSerializer();
        }
        return super.getDefaultSerializer(type);
      }
    };
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setCopyReferences(true);
    kryo.setClassLoader(classLoader);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    return kryo;
  }
}
