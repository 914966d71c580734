package io.layercache.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Set;
import java.util.UUID;

/**
 * Recognises value types that cannot change after construction and therefore need no copy.
 * The answer is cached per class, so the check on a cache hit is one {@link ClassValue} lookup.
 */
final class ImmutableTypes {

  private static final Set<Class<?>> EXACT = Set.of(
      String.class, Boolean.class, Byte.class, Short.class, Integer.class, Long.class,
      Float.class, Double.class, Character.class, BigInteger.class, BigDecimal.class, UUID.class,
      Class.class, java.net.URI.class, java.util.Locale.class, java.time.ZoneOffset.class);

  private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return EXACT.contains(type)
          || type.isEnum()
          || (type.getSuperclass() != null && type.getSuperclass().isEnum())
          || isJavaTime(type);
    }
  };

  private ImmutableTypes() {}

  /** True when instances of exactly this class are immutable. */
  static boolean isImmutable(Class<?> type) {
    return IMMUTABLE.get(type);
  }

  private static boolean isJavaTime(Class<?> type) {
    // java.time value classes are final and immutable; subclasses elsewhere are not trusted.
    return type.getPackageName().equals("java.time")
        && (TemporalAccessor.class.isAssignableFrom(type)
            || type == java.time.Duration.class || type == java.time.Period.class
            || java.time.ZoneId.class.isAssignableFrom(type));
  }
}
