package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecSettingsTest {

  private final CodecSettings defaults = CodecSettings.defaults();

  @Test
  void defaultsAreDocumented() {
    assertThat(defaults.allowedClassPrefixes()).isEmpty();
    assertThat(defaults.registrations()).isEmpty();
    assertThat(defaults.maxValueBytes()).isEqualTo(1 << 20);
    assertThat(defaults.compressionThresholdBytes()).isEqualTo(1024);
    assertThat(defaults.maxDepth()).isEqualTo(64);
    assertThat(defaults.maxDecompressedBytes()).isEqualTo(16 << 20);
  }

  @Test
  void copiesItsCollections() {
    List<String> prefixes = new ArrayList<>(List.of("com.example.model."));
    Map<Integer, String> registrations = new HashMap<>(Map.of(100, "com.example.Thing"));
    CodecSettings settings = defaults.withAllowedClassPrefixes(prefixes).withRegistrations(registrations);

    prefixes.add("org.example.");
    registrations.put(101, "com.example.Other");

    assertThat(settings.allowedClassPrefixes()).containsExactly("com.example.model.");
    assertThat(settings.registrations()).containsOnlyKeys(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"java.", "java.util.", "java.util.concurrent.", "javax.", "com.", "sun.",
      "jdk.internal.", "java.lang.Runtime", "com.sun.rowset.JdbcRowSetImpl", "java.net."})
  void refusesPrefixesCoveringGadgetPackages(String prefix) {
    assertThatThrownBy(() -> defaults.withAllowedClassPrefixes(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("codec.allowed-class-prefixes: '" + prefix + "' would admit")
        .hasMessageContaining("codec.registrations");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "domain..x.", ".domain.", "com.example.*", "a b.", "1abc."})
  void refusesMalformedPrefixes(String prefix) {
    assertThatThrownBy(() -> defaults.withAllowedClassPrefixes(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("codec.allowed-class-prefixes: '" + prefix + "' is not");
  }

  @Test
  void acceptsPackagePrefixesAndClassNames() {
    CodecSettings settings = defaults.withAllowedClassPrefixes("domain.", "java.awt.",
        "com.example.model.Order", "java.sql.");

    assertThat(settings.allowedClassPrefixes()).hasSize(4);
  }

  @Test
  void prefixMatchingIsByPackageOrExactClass() {
    ClassAllowList allow = new ClassAllowList(List.of("domain.", "com.example.Order"),
        DefaultRegistrations.names());

    assertThat(allow.allowsName("domain.Beagle")).isTrue();
    assertThat(allow.allowsName("domain.sub.Dog$Inner")).isTrue();
    assertThat(allow.allowsName("domainevil.X")).isFalse();
    assertThat(allow.allowsName("com.example.Order")).isTrue();
    assertThat(allow.allowsName("com.example.Order$Line")).isTrue();
    assertThat(allow.allowsName("com.example.OrderEvil")).isFalse();
    assertThat(allow.allowsName("[Ldomain.Beagle;")).isTrue();
    assertThat(allow.allowsName("[[Ljava.lang.String;")).isTrue();
    assertThat(allow.allowsName("[[I")).isTrue();
    assertThat(allow.allowsName("[Ljava.lang.Runtime;")).isFalse();
    assertThat(allow.allowsName("[X")).isFalse();
    assertThat(allow.allowsName("java.lang.Runtime")).isFalse();
    assertThat(allow.allowsName("domain.Bad Name")).isFalse();
    assertThat(allow.allowsName("")).isFalse();
  }

  @Test
  void registrationIdsStartAt100() {
    assertThatThrownBy(() -> defaults.withRegistrations(Map.of(99, "com.example.Thing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("codec.registrations: id 99 must be in 100..1000000 (lower ids belong to the codec)");
  }

  @Test
  void registrationsAreUniqueAndNotBuiltIn() {
    assertThatThrownBy(() -> defaults.withRegistrations(Map.of(100, "com.example.A", 101, "com.example.A")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("codec.registrations: com.example.A is registered twice, with ids 100 and 101");
    assertThatThrownBy(() -> defaults.withRegistrations(Map.of(100, "java.util.ArrayList")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codec.registrations: java.util.ArrayList (id 100) is registered by the codec");
    assertThatThrownBy(() -> defaults.withRegistrations(Map.of(100, "not a class")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("codec.registrations: id 100");
  }

  @Test
  void registeredClassesMustExist() {
    CodecSettings settings = defaults.withRegistrations(Map.of(100, "com.example.DoesNotExist"));

    assertThatThrownBy(() -> new KryoEntryCodec<>(settings, getClass().getClassLoader(), Object.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("codec.registrations: class com.example.DoesNotExist (id 100) is not found by "
            + "the cache's class loader");
  }

  @Test
  void registeredClassesMustBeSerializableWithoutJavaSerialization() {
    CodecSettings settings = defaults.withRegistrations(Map.of(100, "java.util.PriorityQueue"));

    assertThatThrownBy(() -> new KryoEntryCodec<>(settings, getClass().getClassLoader(), Object.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codec.registrations")
        .hasMessageContaining("java.util.PriorityQueue is not supported");
  }

  @Test
  void limitsAreRangeChecked() {
    assertThatThrownBy(() -> defaults.withMaxValueBytes(0))
        .hasMessage("codec.max-value-bytes must be in 1..536870912, was 0");
    assertThatThrownBy(() -> defaults.withCompressionThresholdBytes(-1))
        .hasMessage("codec.compression-threshold-bytes must be in 0..2147483647, was -1");
    assertThatThrownBy(() -> defaults.withMaxDepth(0))
        .hasMessage("codec.max-depth must be in 1..1000, was 0");
    assertThatThrownBy(() -> defaults.withMaxDepth(10_000))
        .hasMessage("codec.max-depth must be in 1..1000, was 10000");
    assertThatThrownBy(() -> defaults.withMaxDecompressedBytes(-1))
        .hasMessage("codec.max-decompressed-bytes must be in 1..536870912, was -1");
  }

  @Test
  void nullCollectionsAreRefusedWithTheSettingName() {
    assertThatThrownBy(() -> new CodecSettings(null, Map.of(), 1, 1, 1, 1))
        .hasMessageStartingWith("codec.allowed-class-prefixes must not be null");
    assertThatThrownBy(() -> new CodecSettings(List.of(), null, 1, 1, 1, 1))
        .hasMessageStartingWith("codec.registrations must not be null");
  }
}
