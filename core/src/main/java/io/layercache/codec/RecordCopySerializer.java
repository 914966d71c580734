package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;

/**
 * Deep-copies a record through its canonical constructor. Kryo's own {@code RecordSerializer}
 * treats every record as immutable and hands back the same instance, so a record holding a
 * mutable list would be shared between the caller and a store-by-value cache. Records whose
 * components are all primitives or final immutable types stay shared: that copy is free.
 */
final class RecordCopySerializer extends CopyOnlySerializer<Object> {

  private final Method[] accessors;
  private final Constructor<?> canonical;

  /**
   * The copier of one record class.
   *
   * @throws RuntimeException when its accessors or constructor cannot be made accessible (the
   *                          module system hides them); the caller then falls back
   */
  RecordCopySerializer(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    accessors = new Method[components.length];
    boolean immutable = true;
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      accessors[i] = components[i].getAccessor();
      accessors[i].setAccessible(true);
      immutable &= isImmutableComponent(types[i]);
    }
    try {
      canonical = type.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new KryoException("record " + type.getName() + " has no canonical constructor", e);
    }
    canonical.setAccessible(true);
    setImmutable(immutable);
  }

  private static boolean isImmutableComponent(Class<?> type) {
    return type.isPrimitive() || type.isEnum()
        || (Modifier.isFinal(type.getModifiers()) && ImmutableTypes.isImmutable(type));
  }

  @Override
  public Object copy(Kryo kryo, Object original) {
    if (isImmutable()) {
      return original;
    }
    Object[] values = new Object[accessors.length];
    try {
      for (int i = 0; i < accessors.length; i++) {
        values[i] = kryo.copy(accessors[i].invoke(original));
      }
      Object copy = canonical.newInstance(values);
      if (kryo.getOriginalToCopyMap() != null) {
        // Built after its components, so it is registered here: a second reference to the same
        // record in this graph gets this copy too.
        kryo.getOriginalToCopyMap().put(original, copy);
      }
      return copy;
    } catch (IllegalAccessException | InstantiationException | InvocationTargetException e) {
      throw new KryoException("cannot copy record " + original.getClass().getName(), e);
    }
  }
}
