package io.layercache.codec;

import java.io.Serializable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store-by-value copier: a deep copy in memory, with Kryo as the fast path and an
 * in-process Java serialization round trip as the fallback, so that every {@link Serializable}
 * value a JCache client may store can be stored.
 *
 * <ul>
 *   <li>Immutable JDK types (strings, boxed numbers, {@code java.time}, enums…) are returned as
 *       they are: a String-valued store-by-value cache costs no copy.
 *   <li>Other values must be {@link Serializable}, the JCache contract for store-by-value; others
 *       are refused with an {@link IllegalArgumentException} naming the type.
 *   <li>Kryo copies the graph ({@link CopyKryo}), keeping its shape (shared references and cycles
 *       survive), calling {@code readResolve} where the class declares it, and with serializers of
 *       its own for the JDK types whose fields the Java 17 module system hides ({@code UUID},
 *       {@code URI}, the {@code Collections} views, map entries…). A JDK class with no such
 *       serializer is copied inside the graph with Java serialization.
 *   <li>A value class Kryo still fails on is copied with Java serialization ({@link JavaRoundTrip})
 *       instead, and from then on directly: the decision is cached per class, so the failing Kryo
 *       attempt is paid once. Those bytes never leave the JVM; bytes from a remote layer never
 *       reach Java serialization.
 *   <li>Only a value that neither can copy (it reaches a non-serializable object Kryo cannot
 *       copy either) is refused, with an {@link IllegalArgumentException} naming the type.
 * </ul>
 */
public final class KryoCopier implements Copier {

  private static final Logger LOG = LoggerFactory.getLogger(KryoCopier.class);

  private final ThreadLocal<CopyKryo> kryos;
  /** Per value class: whether Kryo failed on it once, so Java serialization goes first. */
  private final ClassValue<Route> routes = new ClassValue<>() {
    @Override
    protected Route computeValue(Class<?> type) {
      return new Route();
    }
  };

  /** How values of one class are copied; starts on Kryo. */
  private static final class Route {
    volatile boolean javaSerialization;
  }

  /** A copier resolving classes through {@code classLoader}. */
  public KryoCopier(ClassLoader classLoader) {
    this.kryos = ThreadLocal.withInitial(() -> new CopyKryo(classLoader));
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
    Route route = routes.get(object.getClass());
    if (route.javaSerialization) {
      return copyJavaFirst(object);
    }
    try {
      return kryos.get().copy(object);
    } catch (RuntimeException | LinkageError kryoFailure) {
      T copy = copyOrFail(object, kryoFailure, () -> JavaRoundTrip.copy(object));
      route.javaSerialization = true;
      LOG.info("Kryo cannot copy a {} ({}); values of this class are copied with an in-process "
          + "Java serialization round trip from now on", object.getClass().getName(), rootMessage(kryoFailure));
      return copy;
    }
  }

  /** True once Kryo failed on values of exactly this class and Java serialization goes first. */
  boolean copiesWithJavaSerialization(Class<?> type) {
    return routes.get(type).javaSerialization;
  }

  /** A class Kryo failed on before: Java serialization, then Kryo for the odd instance it refuses. */
  private <T> T copyJavaFirst(T object) {
    try {
      return JavaRoundTrip.copy(object);
    } catch (RuntimeException javaFailure) {
      return copyOrFail(object, javaFailure, () -> kryos.get().copy(object));
    }
  }

  /** The second way of copying; when it fails too, the error names the type and both causes. */
  private static <T> T copyOrFail(T object, Throwable firstFailure, Supplier<T> second) {
    try {
      return second.get();
    } catch (RuntimeException | LinkageError secondFailure) {
      IllegalArgumentException refused = new IllegalArgumentException("Cannot copy a value of type "
          + object.getClass().getName() + " for a store-by-value cache: neither Kryo nor Java "
          + "serialization can copy it (" + rootMessage(firstFailure) + "; " + rootMessage(secondFailure)
          + "); make everything it reaches Serializable, or use setStoreByValue(false) for it", firstFailure);
      refused.addSuppressed(secondFailure);
      throw refused;
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int newline = message.indexOf('\n');
    return root.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
  }
}
