package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Copies a {@link java.io.Serializable} object graph with a Java serialization round trip in
 * memory: the store-by-value copier's fallback for the values Kryo cannot copy (JDK classes whose
 * fields the module system hides, classes Kryo cannot rebuild). Java serialization honours
 * {@code writeReplace}/{@code readResolve} and custom {@code readObject}, so such a value comes back
 * exactly as its class intends.
 *
 * <p>This is not deserialization of foreign bytes: the bytes exist only inside {@link #copy}, are
 * written from an object the application handed to the cache, and are read back at once. The
 * reading side never looks a class up by name: it takes, in order, the very {@code Class} objects
 * the writing side used ({@code annotateClass} / {@code resolveClass} pair up one to one), so the
 * copy has the same classes whatever class loaders they come from, and no class the value did not
 * already contain can appear. Bytes read from a remote layer are never given to Java
 * serialization; the L2 codec ({@link SafeKryo}) refuses it.
 */
final class JavaRoundTrip {

  private JavaRoundTrip() {}

  /**
   * A deep copy of {@code object} through Java serialization.
   *
   * @throws IllegalArgumentException when the graph holds something Java serialization refuses
   *                                  (a non-serializable field value, a failing custom hook)
   */
  @SuppressWarnings("unchecked") // a round trip of a T gives a T (or what its readResolve returns)
  static <T> T copy(T object) {
    List<Class<?>> classes = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try {
      try (ObjectOutputStream out = new RecordingOutput(bytes, classes)) {
        out.writeObject(object);
      }
      try (ObjectInputStream in = new ReplayingInput(new ByteArrayInputStream(bytes.toByteArray()),
          classes.iterator())) {
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("Java serialization cannot copy a "
          + object.getClass().getName() + ": " + e, e);
    }
  }

  /** Remembers every class whose descriptor it writes, in stream order. */
  private static final class RecordingOutput extends ObjectOutputStream {
    private final List<Class<?>> classes;

    RecordingOutput(OutputStream out, List<Class<?>> classes) throws IOException {
      super(out);
      this.classes = classes;
    }

    @Override
    protected void annotateClass(Class<?> type) {
      classes.add(type);
    }

    @Override
    protected void annotateProxyClass(Class<?> type) {
      classes.add(type);
    }
  }

  /** Resolves each descriptor to the class {@link RecordingOutput} wrote for it. */
  private static final class ReplayingInput extends ObjectInputStream {
    private final Iterator<Class<?>> classes;

    ReplayingInput(InputStream in, Iterator<Class<?>> classes) throws IOException {
      super(in);
      this.classes = classes;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass descriptor) throws InvalidClassException {
      Class<?> type = next(descriptor.getName());
      if (!type.getName().equals(descriptor.getName())) {
        throw new InvalidClassException(descriptor.getName(), "written as " + type.getName());
      }
      return type;
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
      return next("a proxy class");
    }

    private Class<?> next(String what) throws InvalidClassException {
      if (!classes.hasNext()) {
        throw new InvalidClassException(what, "read but never written");
      }
      return classes.next();
    }
  }

  /**
   * A copy-only Kryo serializer for one class inside an otherwise Kryo-copied graph. The object
   * and everything it reaches are copied together, so references from inside it to objects
   * elsewhere in the graph become separate copies.
   */
  static final class CopySerializer extends CopyOnlySerializer<Object> {
    @Override
    public Object copy(Kryo kryo, Object original) {
      return JavaRoundTrip.copy(original);
    }
  }
}
