package io.layercache.nats;

/** NATS subject matching, to check that an existing stream captures the bus's subject. */
final class Subjects {

  private Subjects() {}

  /** True when {@code pattern} ({@code *} one token, {@code >} the rest) matches {@code subject}. */
  static boolean covers(String pattern, String subject) {
    String[] p = pattern.split("\\.", -1);
    String[] s = subject.split("\\.", -1);
    for (int i = 0; i < p.length; i++) {
      if (p[i].equals(">")) {
        return i < s.length;
      }
      if (i >= s.length || !p[i].equals("*") && !p[i].equals(s[i])) {
        return false;
      }
    }
    return p.length == s.length;
  }
}
