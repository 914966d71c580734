package io.layercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPatternTest {

  @Test
  void globsMatchWholeStringKeys() {
    assertThat(KeyPattern.of("user:*").matches("user:1")).isTrue();
    assertThat(KeyPattern.of("user:*").matches("user:")).isTrue();
    assertThat(KeyPattern.of("user:*").matches("xuser:1")).isFalse();
    assertThat(KeyPattern.of("user:?").matches("user:12")).isFalse();
    assertThat(KeyPattern.of("user:?").matches("user:1")).isTrue();
    assertThat(KeyPattern.of("[a-c]x").matches("bx")).isTrue();
    assertThat(KeyPattern.of("[a-c]x").matches("dx")).isFalse();
    assertThat(KeyPattern.of("[^a]x").matches("ax")).isFalse();
    assertThat(KeyPattern.of("[^a]x").matches("bx")).isTrue();
    assertThat(KeyPattern.of("*").matches(42)).as("not a String").isFalse();
  }

  @Test
  void regexAndGlobMetacharactersInKeysAreLiterals() {
    assertThat(KeyPattern.of("a.b").matches("axb")).isFalse();
    assertThat(KeyPattern.of("a\\*b").matches("a*b")).isTrue();
    assertThat(KeyPattern.of("a\\*b").matches("axxb")).isFalse();
    assertThat(KeyPattern.of("(x)+{1}$").matches("(x)+{1}$")).isTrue();
    assertThat(KeyPattern.of("[.]").matches(".")).isTrue();
    assertThat(KeyPattern.of("[.]").matches("a")).isFalse();
    assertThat(KeyPattern.of("\\[x\\]*").matches("[x]yz")).isTrue();
  }

  @Test
  void theLiteralPrefixNarrowsScans() {
    assertThat(KeyPattern.of("user:*").literalPrefix()).isEqualTo("user:");
    assertThat(KeyPattern.of("a\\*b*").literalPrefix()).isEqualTo("a*b");
    assertThat(KeyPattern.of("*x").literalPrefix()).isEmpty();
  }

  @Test
  void patternsThatWouldBacktrackExponentiallyAsRegexesMatchInLinearTime() {
    String hostile = "*?".repeat(40) + "x";
    String key = "a".repeat(2_000);
    for (int i = 0; i < 100; i++) {
      assertThat(KeyPattern.of(hostile).matches(key)).isFalse();
    }
    assertThat(KeyPattern.of(hostile).matches(key + "x")).isTrue();
    assertThat(KeyPattern.of("a*b*c*d").matches("a-b-c-d")).isTrue();
    assertThat(KeyPattern.of("a*b*c*d").matches("a-b-c-")).isFalse();
  }

  @Test
  void malformedGlobsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> KeyPattern.of("")).hasMessageContaining("1 to 1024");
    assertThatThrownBy(() -> KeyPattern.of("a[bc")).hasMessageContaining("unclosed [");
    assertThatThrownBy(() -> KeyPattern.of("a\\")).hasMessageContaining("escape");
  }
}
