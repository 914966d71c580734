package io.layercache.layer;

import java.util.Arrays;

/**
 * Whether two values are the same for {@link StoredEntry#isSameWriteAs}: equal by {@code equals},
 * arrays by content, and for a class whose {@code equals} is {@code Object}'s identity (a copy
 * decoded from a remote layer is never identical) any two instances of the class, leaving the
 * write stamp to decide.
 */
final class ValueEquality {

  /** Per class: does it define its own {@code equals}? Looked up once. */
  private static final ClassValue<Boolean> DEFINES_EQUALS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
      } catch (NoSuchMethodException e) {
        return Boolean.FALSE;
      }
    }
  };

  private ValueEquality() {}

  static boolean sameValue(Object a, Object b) {
    if (a == b || a.equals(b)) {
      return true;
    }
    Class<?> type = a.getClass();
    if (type != b.getClass()) {
      return false;
    }
    if (type.isArray()) {
      return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
    }
    return !DEFINES_EQUALS.get(type);
  }
}
