package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *   <li>A type Kryo cannot copy (typically a JDK class whose fields the module system hides,
 *       such as {@code java.awt.Color}) is copied through its serialized form instead. Those bytes
 *       are produced and read back within this call, and reading them admits only the classes
 *       just written; nothing read from a layer is ever deserialized this way.
 * </ul>
 */
public final class KryoCopier implements Copier {

  private final ClassLoader classLoader;
  private final ThreadLocal<Kryo> kryos;
  private final Set<Class<?>> serialFormTypes = ConcurrentHashMap.newKeySet();

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
    Class<?> type = object.getClass();
    if (!(object instanceof Serializable)) {
      throw new IllegalArgumentException("A store-by-value cache copies its keys and values, but "
          + type.getName() + " is not Serializable; make it Serializable or configure "
          + "the cache with setStoreByValue(false)");
    }
    if (!serialFormTypes.isEmpty() && serialFormTypes.contains(type)) {
      return copyThroughSerialForm(object, null);
    }
    try {
      return kryos.get().copy(object);
    } catch (RuntimeException kryoFailure) {
      T copy = copyThroughSerialForm(object, kryoFailure);
      serialFormTypes.add(type);
      return copy;
    }
  }

  private Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setCopyReferences(true);
    kryo.setClassLoader(classLoader);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    return kryo;
  }

  @SuppressWarnings("unchecked")
  private <T> T copyThroughSerialForm(T object, RuntimeException kryoFailure) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      Set<Class<?>> written;
      try (ClassRecordingOutput out = new ClassRecordingOutput(bytes)) {
        out.writeObject(object);
        written = out.written;
      }
      try (ObjectInputStream in = new LoaderAwareInput(new ByteArrayInputStream(bytes.toByteArray()), classLoader)) {
        in.setObjectInputFilter(info -> {
          Class<?> type = info.serialClass();
          if (type == null || type.isPrimitive() || written.contains(type)
              || (type.isArray() && written.contains(type))) {
            return ObjectInputFilter.Status.UNDECIDED;
          }
          return ObjectInputFilter.Status.REJECTED;
        });
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      IllegalArgumentException failure = new IllegalArgumentException("Cannot copy a value of type "
          + object.getClass().getName() + " for a store-by-value cache: " + e.getMessage(), e);
      if (kryoFailure != null) {
        failure.addSuppressed(kryoFailure);
      }
      throw failure;
    }
  }

  /** Records every class descriptor it writes, so the reader can admit exactly those. */
  private static final class ClassRecordingOutput extends ObjectOutputStream {
    final Set<Class<?>> written = new HashSet<>();

    ClassRecordingOutput(OutputStream out) throws IOException {
      super(out);
    }

    @Override
    protected void annotateClass(Class<?> type) {
      written.add(type);
    }

    @Override
    protected void annotateProxyClass(Class<?> type) {
      written.add(type);
    }
  }

  /** Resolves classes through the cache's class loader. */
  private static final class LoaderAwareInput extends ObjectInputStream {
    private final ClassLoader classLoader;

    LoaderAwareInput(ByteArrayInputStream in, ClassLoader classLoader) throws IOException {
      super(in);
      this.classLoader = classLoader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, classLoader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
