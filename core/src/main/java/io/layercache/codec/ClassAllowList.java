package io.layercache.codec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, from a class <em>name</em>, whether the codec may load and instantiate a class. The
 * answer comes before {@code Class.forName}, so a payload naming any other class never gets it
 * loaded, let alone initialized.
 *
 * <ul>
 *   <li>Admitted: registered classes (built-in and {@code codec.registrations}), classes matched
 *       by {@code codec.allowed-class-prefixes}, and arrays of admitted or primitive types.
 *   <li>Arrays are judged by their component type, and the abstract JDK supertypes
 *       ({@link #ARRAY_SUPERTYPES}: {@code Serializable}, {@code Object}, {@code Comparable}…)
 *       are admitted as component types too: frameworks store {@code Serializable[]} (Hibernate's
 *       disassembled entity state). Such an array admits nothing by itself: no element can be of
 *       exactly the component type (it is abstract, or, for {@code Object}, not admitted), so every
 *       element carries its own class, which is checked like any other.
 *   <li>Names are checked syntactically first; anything that is not a plain binary class name is
 *       refused.
 * </ul>
 */
final class ClassAllowList {

  /**
   * Packages no prefix may cover: they hold the classic deserialization gadgets (reflection,
   * collections with comparators, JNDI, JMX, scripting, RMI, JDK internals).
   */
  private static final List<String> PROTECTED = List.of(
      "java.lang.", "java.util.", "java.io.", "java.net.", "java.rmi.", "java.security.",
      "java.beans.", "javax.naming.", "javax.management.", "javax.script.", "sun.", "com.sun.",
      "jdk.");

  private static final int MAX_NAME_LENGTH = 1024;

  /**
   * Interfaces and abstract classes of the JDK (plus {@code Object}, whose array is registered)
   * admitted as array component types only; a payload can never make the codec instantiate one.
   */
  static final Set<String> ARRAY_SUPERTYPES = Set.of(
      "java.lang.Object", "java.io.Serializable", "java.lang.Comparable", "java.lang.CharSequence",
      "java.lang.Number", "java.lang.Cloneable", "java.util.Collection", "java.util.List",
      "java.util.Set", "java.util.Map", "java.time.temporal.Temporal",
      "java.time.temporal.TemporalAccessor");

  private final String[] packagePrefixes;
  private final Set<String> exactNames;
  private final Set<String> registeredNames;

  ClassAllowList(List<String> allowedClassPrefixes, Set<String> registeredNames) {
    List<String> packages = new ArrayList<>();
    Set<String> exact = new HashSet<>();
    for (String prefix : allowedClassPrefixes) {
      if (prefix.endsWith(".")) {
        packages.add(prefix);
      } else {
        exact.add(prefix);
      }
    }
    this.packagePrefixes = packages.toArray(String[]::new);
    this.exactNames = Set.copyOf(exact);
    this.registeredNames = Set.copyOf(registeredNames);
  }

  /** True when the class of this binary name ({@link Class#getName()} form) may be used. */
  boolean allowsName(String binaryName) {
    if (binaryName == null || binaryName.isEmpty() || binaryName.length() > MAX_NAME_LENGTH) {
      return false;
    }
    int dims = 0;
    while (dims < binaryName.length() && binaryName.charAt(dims) == '[') {
      dims++;
    }
    String component = binaryName;
    if (dims > 0) {
      String rest = binaryName.substring(dims);
      if (rest.length() == 1) {
        return "ZBCSIJFD".contains(rest); // array of primitives
      }
      if (rest.length() < 3 || rest.charAt(0) != 'L' || rest.charAt(rest.length() - 1) != ';') {
        return false;
      }
      component = rest.substring(1, rest.length() - 1);
      if (ARRAY_SUPERTYPES.contains(component)) {
        return true;
      }
    }
    return isClassName(component) && (registeredNames.contains(component) || matches(component));
  }

  /** True when this class may be written; arrays are judged by their component type. */
  boolean allowsType(Class<?> type) {
    return type.isPrimitive() || allowsName(type.getName());
  }

  private boolean matches(String name) {
    for (String prefix : packagePrefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    if (exactNames.isEmpty()) {
      return false;
    }
    int nested = name.indexOf('$');
    return exactNames.contains(nested < 0 ? name : name.substring(0, nested));
  }

  /** True for a dotted sequence of Java identifiers ({@code $} allowed, as in nested classes). */
  static boolean isClassName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    boolean segmentStart = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (segmentStart) {
          return false;
        }
        segmentStart = true;
      } else if (segmentStart ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
        segmentStart = false;
      } else {
        return false;
      }
    }
    return !segmentStart;
  }

  /** Validates {@code codec.allowed-class-prefixes} and returns an immutable copy. */
  static List<String> checkPrefixes(List<String> prefixes) {
    if (prefixes == null) {
      throw new IllegalArgumentException("codec.allowed-class-prefixes must not be null (use an empty list)");
    }
    for (String prefix : prefixes) {
      String name = prefix == null ? "" : prefix.endsWith(".")
          ? prefix.substring(0, prefix.length() - 1) : prefix;
      if (!isClassName(name)) {
        throw new IllegalArgumentException("codec.allowed-class-prefixes: '" + prefix + "' is not a "
            + "package prefix ending with '.' (e.g. 'com.example.model.') or a class name");
      }
      for (String guarded : PROTECTED) {
        boolean covers = prefix.endsWith(".") ? guarded.startsWith(prefix) || prefix.startsWith(guarded)
            : prefix.startsWith(guarded);
        if (covers) {
          throw new IllegalArgumentException("codec.allowed-class-prefixes: '" + prefix + "' would "
              + "admit classes of " + guarded + "*, where deserialization gadgets live; allow a "
              + "narrower package, or register single JDK classes in codec.registrations");
        }
      }
    }
    return List.copyOf(prefixes);
  }
}
