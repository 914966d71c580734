package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.objenesis.strategy.StdInstantiatorStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kryo instance of the store-by-value copier ({@link KryoCopier}); one per thread. It chooses
 * a copy serializer for each class once (Kryo caches the choice in the class's registration):
 *
 * <ol>
 *   <li>{@link JdkCopySerializers} for the JDK types Kryo's defaults copy wrongly;
 *   <li>{@link RecordCopySerializer} for records (Kryo's own shares them, even when mutable);
 *   <li>Kryo's default, except where it cannot work under the module system: its generic
 *       collection and map serializers on a JDK class it cannot instantiate, and its field
 *       serializer on a class whose fields (its own or a superclass's) live in a package the
 *       module system does not open. Such a class, when {@link Serializable}, is copied with an
 *       in-process Java serialization round trip ({@link JavaRoundTrip}); otherwise its copy
 *       fails naming it;
 *   <li>{@link ReadResolve} after the field-by-field copy of a class that declares
 *       {@code readResolve}, as Java serialization would.
 * </ol>
 */
final class CopyKryo extends Kryo {

  private static final Logger LOG = LoggerFactory.getLogger(CopyKryo.class);
  private static final Module KRYO_MODULE = Kryo.class.getModule();

  CopyKryo(ClassLoader classLoader) {
    setRegistrationRequired(false);
    setReferences(true);
    setCopyReferences(true);
    setClassLoader(classLoader);
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
  }

  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Serializer getDefaultSerializer(Class type) {
    Serializer<?> jdk = JdkCopySerializers.forType(type);
    if (jdk != null) {
      return jdk;
    }
    if (type.isRecord()) {
      try {
        return withReadResolve(type, new RecordCopySerializer(type));
      } catch (RuntimeException hidden) {
        return fallback(type, "its record components are not accessible: " + hidden.getMessage());
      }
    }
    Serializer<?> serializer = super.getDefaultSerializer(type);
    Class<?> kind = serializer.getClass();
    if ((kind == CollectionSerializer.class || kind == MapSerializer.class) && !instantiable(type)) {
      return fallback(type, "Kryo cannot create an instance of it to fill");
    }
    return serializer;
  }

  /** Kryo's last resort, its field serializer: only where the fields can be reached. */
  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  protected Serializer newDefaultSerializer(Class type) {
    Class<?> hidden = classWithHiddenFields(type);
    if (hidden != null) {
      return fallback(type, "the module system hides the fields of " + hidden.getName());
    }
    return withReadResolve(type, super.newDefaultSerializer(type));
  }

  private Serializer<?> withReadResolve(Class<?> type, Serializer<?> serializer) {
    Method readResolve;
    try {
      readResolve = ReadResolve.find(type);
    } catch (RuntimeException hidden) {
      return fallback(type, "its readResolve method is not accessible");
    }
    return readResolve == null ? serializer : new ReadResolve.ResolvingSerializer(serializer, readResolve);
  }

  /** True when Kryo can create an empty instance of this collection or map to fill. */
  private static boolean instantiable(Class<?> type) {
    if (isOpen(type)) {
      return true;
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      return false;
    }
    for (Constructor<?> constructor : type.getConstructors()) {
      if (constructor.getParameterCount() == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The class, in {@code type}'s hierarchy, that Kryo's field serializer cannot handle, or null:
   * one in a package the module system does not open to Kryo, with instance fields that are not
   * public (Kryo cannot make them accessible), or {@code type} itself when it is not public
   * (Kryo cannot instantiate it).
   */
  private static Class<?> classWithHiddenFields(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (!isOpen(c) && (hasHiddenFields(c) || (c == type && !Modifier.isPublic(c.getModifiers())))) {
        return c;
      }
    }
    return null;
  }

  private static boolean hasHiddenFields(Class<?> type) {
    boolean exported = Modifier.isPublic(type.getModifiers())
        && type.getModule().isExported(type.getPackageName());
    for (Field field : type.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (!Modifier.isStatic(modifiers) && !(exported && Modifier.isPublic(modifiers))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOpen(Class<?> type) {
    return type.getModule().isOpen(type.getPackageName(), KRYO_MODULE);
  }

  private static Serializer<?> fallback(Class<?> type, String why) {
    if (Serializable.class.isAssignableFrom(type)) {
      LOG.debug("Copying {} with an in-process Java serialization round trip: {}", type.getName(), why);
      return new JavaRoundTrip.CopySerializer();
    }
    return new Refusing(type.getName() + " cannot be copied: it is not Serializable and " + why);
  }

  /** The serializer of a class that cannot be copied: fails naming it, at copy time. */
  private static final class Refusing extends CopyOnlySerializer<Object> {
    private final String reason;

    Refusing(String reason) {
      this.reason = reason;
    }

    @Override
    public Object copy(Kryo kryo, Object original) {
      throw new KryoException(reason);
    }
  }
}
