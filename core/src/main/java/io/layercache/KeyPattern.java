package io.layercache;

import java.util.Objects;

/**
 * A glob over String keys, as Redis writes them: {@code *} any run of characters, {@code ?} one
 * character, {@code [abc]} / {@code [a-z]} / {@code [^a]} one of a set, {@code \} makes the next
 * character literal. It matches whole keys; keys that are not Strings never match.
 *
 * <p>Matching is done here, on the Java key, in every layer: a layer that stores keys in another
 * form (Redis) only narrows its scan with {@link #literalPrefix()}, so escaping rules of a store
 * can never widen what a pattern deletes.
 *
 * <p>Patterns arrive from other instances over the invalidation bus, so matching must stay cheap
 * whatever the pattern: it is a linear matcher with one backtrack point (the last {@code *}),
 * O(key × pattern) at worst, never a regular expression that could backtrack exponentially.
 */
public final class KeyPattern {

  /** The longest glob accepted. */
  public static final int MAX_LENGTH = 1024;

  private final String glob;
  private final char[] pattern;
  private final String literalPrefix;

  private KeyPattern(String glob) {
    this.glob = glob;
    this.pattern = glob.toCharArray();
    this.literalPrefix = validateAndPrefix(glob);
  }

  /**
   * The pattern of {@code glob}.
   *
   * @throws IllegalArgumentException when it is empty, longer than {@value #MAX_LENGTH} characters,
   *     or malformed (an unclosed {@code [}, a trailing {@code \})
   */
  public static KeyPattern of(String glob) {
    Objects.requireNonNull(glob, "pattern");
    if (glob.isEmpty() || glob.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a key pattern must have 1 to " + MAX_LENGTH + " characters, had " + glob.length());
    }
    return new KeyPattern(glob);
  }

  /** True when {@code key} is a String the glob matches whole. */
  public boolean matches(Object key) {
    return key instanceof String s && s.startsWith(literalPrefix) && matches(s);
  }

  /** The characters every matching key starts with (empty when the glob starts with a wildcard). */
  public String literalPrefix() {
    return literalPrefix;
  }

  /** The glob as given. */
  public String glob() {
    return glob;
  }

  @Override
  public String toString() {
    return glob;
  }

  /** Wildcard matching with a single backtrack point: after a mismatch, retry from the last star. */
  private boolean matches(String key) {
    int k = 0;
    int p = 0;
    int starP = -1;
    int starK = 0;
    while (k < key.length()) {
      if (p < pattern.length && pattern[p] == '*') {
        starP = p++;
        starK = k;
      } else if (p < pattern.length && matchesOne(p, key.charAt(k))) {
        p = next(p);
        k++;
      } else if (starP >= 0) {
        p = starP + 1;
        k = ++starK;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] == '*') {
      p++;
    }
    return p == pattern.length;
  }

  /** True when the element at {@code p} (not a star) matches {@code c}. */
  private boolean matchesOne(int p, char c) {
    return switch (pattern[p]) {
      case '?' -> true;
      case '\\' -> pattern[p + 1] == c;
      case '[' -> inClass(p, c);
      default -> pattern[p] == c;
    };
  }

  /** The index after the element at {@code p}. */
  private int next(int p) {
    return switch (pattern[p]) {
      case '\\' -> p + 2;
      case '[' -> classEnd(p) + 1;
      default -> p + 1;
    };
  }

  private boolean inClass(int open, char c) {
    int close = classEnd(open);
    int i = open + 1;
    boolean negated = pattern[i] == '^';
    if (negated) {
      i++;
    }
    boolean found = false;
    for (; i < close; i++) {
      if (pattern[i] == '-' && i > open + 1 && i + 1 < close) {
        found |= c >= pattern[i - 1] && c <= pattern[i + 1];
      } else {
        found |= pattern[i] == c;
      }
    }
    return found != negated;
  }

  private int classEnd(int open) {
    return glob.indexOf(']', open + 2);
  }

  private static String validateAndPrefix(String glob) {
    StringBuilder prefix = new StringBuilder();
    boolean inPrefix = true;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\') {
        if (i + 1 == glob.length()) {
          throw new IllegalArgumentException("key pattern '" + glob + "' ends with an escape (\\)");
        }
        if (inPrefix) {
          prefix.append(glob.charAt(i + 1));
        }
        i++;
      } else if (c == '[') {
        int close = glob.indexOf(']', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("key pattern '" + glob + "' has an unclosed [");
        }
        inPrefix = false;
        i = close;
      } else if (c == '*' || c == '?') {
        inPrefix = false;
      } else if (inPrefix) {
        prefix.append(c);
      }
    }
    return prefix.toString();
  }
}
