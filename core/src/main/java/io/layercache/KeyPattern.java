package io.layercache;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over String keys, as Redis writes them: {@code *} any run of characters, {@code ?} one
 * character, {@code [abc]} / {@code [a-z]} / {@code [^a]} one of a set, {@code \} makes the next
 * character literal. It matches whole keys; keys that are not Strings never match.
 *
 * <p>Matching is done here, on the Java key, in every layer: a layer that stores keys in another
 * form (Redis) only narrows its scan with {@link #literalPrefix()}, so escaping rules of a store
 * can never widen what a pattern deletes.
 */
public final class KeyPattern {

  /** The longest glob accepted. */
  public static final int MAX_LENGTH = 1024;

  private final String glob;
  private final Pattern regex;
  private final String literalPrefix;

  private KeyPattern(String glob) {
    this.glob = glob;
    StringBuilder prefix = new StringBuilder();
    this.regex = Pattern.compile(translate(glob, prefix), Pattern.DOTALL);
    this.literalPrefix = prefix.toString();
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
    return key instanceof String s && (s.startsWith(literalPrefix)) && regex.matcher(s).matches();
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

  private static String translate(String glob, StringBuilder prefix) {
    StringBuilder regex = new StringBuilder();
    boolean inPrefix = true;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          regex.append(".*");
          inPrefix = false;
        }
        case '?' -> {
          regex.append('.');
          inPrefix = false;
        }
        case '[' -> {
          i = characterClass(glob, i, regex);
          inPrefix = false;
        }
        case '\\' -> {
          if (i + 1 == glob.length()) {
            throw new IllegalArgumentException("key pattern '" + glob + "' ends with an escape (\\)");
          }
          char literal = glob.charAt(++i);
          regex.append(Pattern.quote(String.valueOf(literal)));
          if (inPrefix) {
            prefix.append(literal);
          }
        }
        default -> {
          regex.append(Pattern.quote(String.valueOf(c)));
          if (inPrefix) {
            prefix.append(c);
          }
        }
      }
    }
    return regex.toString();
  }

  /** Appends the class starting at {@code open} and returns the index of its closing bracket. */
  private static int characterClass(String glob, int open, StringBuilder regex) {
    int close = glob.indexOf(']', open + 2);
    if (close < 0) {
      throw new IllegalArgumentException("key pattern '" + glob + "' has an unclosed [");
    }
    StringBuilder set = new StringBuilder("[");
    int i = open + 1;
    if (glob.charAt(i) == '^') {
      set.append('^');
      i++;
    }
    for (; i < close; i++) {
      char c = glob.charAt(i);
      if (c == '-' && i > open + 1 && i + 1 < close) {
        set.append('-');
      } else {
        set.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
      }
    }
    regex.append(set).append(']');
    return close;
  }
}
