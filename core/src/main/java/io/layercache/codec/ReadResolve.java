package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * Gives Kryo copies the {@code readResolve} step of Java serialization. A class that resolves
 * to a canonical instance ({@code NullValue.INSTANCE}-style singletons, enum-like constants) is
 * compared by identity by its users; a field-by-field Kryo copy would be a second instance that
 * no longer matches. Java serialization always calls it, so the store-by-value copy does too.
 */
final class ReadResolve {

  private ReadResolve() {}

  /**
   * The method Java serialization would call as {@code readResolve} on instances of
   * {@code type}, made accessible, or null when there is none (the rules of
   * {@code ObjectStreamClass}: declared by the class, or inherited when not private, and
   * package-private only within the same package and class loader).
   *
   * @throws RuntimeException when the method exists but cannot be made accessible (the module
   *                          system hides it); the caller then copies through Java serialization
   */
  static Method find(Class<?> type) {
    if (!Serializable.class.isAssignableFrom(type)) {
      return null;
    }
    for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
      Method method;
      try {
        method = declaring.getDeclaredMethod("readResolve");
      } catch (NoSuchMethodException notHere) {
        continue;
      }
      if (method.getReturnType() != Object.class || !inheritedBy(method, declaring, type)) {
        return null;
      }
      method.setAccessible(true);
      return method;
    }
    return null;
  }

  private static boolean inheritedBy(Method method, Class<?> declaring, Class<?> type) {
    int modifiers = method.getModifiers();
    if ((modifiers & (Modifier.STATIC | Modifier.ABSTRACT)) != 0) {
      return false;
    }
    if ((modifiers & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0) {
      return true;
    }
    if ((modifiers & Modifier.PRIVATE) != 0) {
      return declaring == type;
    }
    return declaring.getClassLoader() == type.getClassLoader()
        && declaring.getPackageName().equals(type.getPackageName());
  }

  /** {@code serializer}'s copy followed by {@code readResolve}. */
  static final class ResolvingSerializer extends CopyOnlySerializer<Object> {
    private final Serializer<Object> delegate;
    private final Method readResolve;

    @SuppressWarnings("unchecked") // Kryo's serializers are untyped at this point
    ResolvingSerializer(Serializer<?> delegate, Method readResolve) {
      this.delegate = (Serializer<Object>) delegate;
      this.readResolve = Objects.requireNonNull(readResolve);
    }

    @Override
    public Object copy(Kryo kryo, Object original) {
      Object copy = delegate.copy(kryo, original);
      Object resolved;
      try {
        resolved = readResolve.invoke(copy);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new KryoException("readResolve of " + original.getClass().getName() + " failed", e);
      }
      if (resolved != copy && kryo.getOriginalToCopyMap() != null) {
        // Another reference to the same original in this graph must get the resolved instance.
        kryo.getOriginalToCopyMap().put(original, resolved);
      }
      return resolved;
    }
  }
}
