package io.layercache.codec;

import com.esotericsoftware.kryo.KryoException;

/**
 * Thrown inside Kryo when a class is neither registered nor allowed, or cannot be handled safely.
 * A {@link KryoException} so that Kryo passes it through its serializers unchanged (it only
 * appends the field trace); the codec turns it into {@link RejectReason#CLASS_NOT_ALLOWED} on
 * decode and into an {@link IllegalArgumentException} naming the settings on encode.
 */
final class ClassNotAllowedException extends KryoException {

  private final String className;

  private ClassNotAllowedException(String className, String message) {
    super(message);
    this.className = className;
  }

  /** A class outside the allow-list. */
  static ClassNotAllowedException notAllowed(String className) {
    String name = printable(className);
    return new ClassNotAllowedException(name, "class " + name + " is neither registered nor allowed");
  }

  /** A class id no registration has. */
  static ClassNotAllowedException unregisteredId(int id) {
    return new ClassNotAllowedException("#" + id, "class id " + id + " is not registered");
  }

  /** A class the codec refuses even when allowed (Java serialization, unsupported collections). */
  static ClassNotAllowedException unsupported(Class<?> type, String why) {
    return new ClassNotAllowedException(type.getName(), "class " + type.getName() + " " + why);
  }

  /** The class name (printable, shortened) or {@code #id} of the refused class. */
  String className() {
    return className;
  }

  /** A class name from a payload, made safe for logs: at most 200 printable ASCII characters. */
  static String printable(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && i < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    if (text.length() > 200) {
      out.append("...");
    }
    return out.toString();
  }
}
