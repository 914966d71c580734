package io.layercache.codec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the L2 value codec ({@link KryoEntryCodec}). Immutable; every value is checked
 * here, and each message names the setting to change.
 *
 * <ul>
 *   <li>Only the classes a deployment names can be decoded: the built-in JDK value types
 *       (see {@link KryoEntryCodec}), the classes in {@code registrations} (fixed Kryo ids, the
 *       compact form) and the classes matched by {@code allowedClassPrefixes} (written by name).
 *   <li>Every size limit applies before the codec allocates for a value it reads.
 * </ul>
 *
 * @param allowedClassPrefixes      {@code codec.allowed-class-prefixes}: an entry ending with
 *                                  {@code '.'} admits that package and its sub-packages; any other
 *                                  entry admits exactly that class and its nested classes. Entries
 *                                  covering JDK packages that hold deserialization gadgets
 *                                  ({@code java.lang.}, {@code java.util.}, {@code sun.} …) are
 *                                  refused: register such classes one by one instead
 * @param registrations             {@code codec.registrations}: Kryo id → class name; ids are at
 *                                  least {@value #MIN_REGISTRATION_ID} (lower ids are the codec's
 *                                  own) and never reused for another class while old entries may
 *                                  still be in L2
 * @param maxValueBytes             {@code codec.max-value-bytes}: the largest envelope written or
 *                                  read; a larger value stays in the local layers
 * @param compressionThresholdBytes {@code codec.compression-threshold-bytes}: payloads larger than
 *                                  this are LZ4-compressed when that saves at least 15 %;
 *                                  {@link Integer#MAX_VALUE} turns compression off
 * @param maxDepth                  {@code codec.max-depth}: the deepest object nesting encoded or
 *                                  decoded, against stack exhaustion by hostile payloads
 * @param maxDecompressedBytes      {@code codec.max-decompressed-bytes}: the largest serialized
 *                                  payload (before compression); bounds what one decode allocates
 */
public record CodecSettings(
    List<String> allowedClassPrefixes,
    Map<Integer, String> registrations,
    int maxValueBytes,
    int compressionThresholdBytes,
    int maxDepth,
    int maxDecompressedBytes) {

  /** Default {@code codec.max-value-bytes}: 1 MiB (NATS' default payload limit). */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
  /** Default {@code codec.compression-threshold-bytes}. */
  public static final int DEFAULT_COMPRESSION_THRESHOLD_BYTES = 1024;
  /** Default {@code codec.max-depth}. */
  public static final int DEFAULT_MAX_DEPTH = 64;
  /** Default {@code codec.max-decompressed-bytes}: 16 MiB. */
  public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 16 << 20;
  /** The smallest id {@code codec.registrations} may use. */
  public static final int MIN_REGISTRATION_ID = 100;
  /** The largest id {@code codec.registrations} may use. */
  public static final int MAX_REGISTRATION_ID = 1_000_000;
  /** Upper bound of {@code codec.max-depth}: deeper graphs risk a stack overflow. */
  public static final int MAX_DEPTH_LIMIT = 1000;
  /** Upper bound of both byte limits (Redis' own bulk limit is 512 MB). */
  public static final int MAX_BYTES_LIMIT = 512 << 20;

  /** Validates and copies the settings. */
  public CodecSettings {
    allowedClassPrefixes = ClassAllowList.checkPrefixes(allowedClassPrefixes);
    registrations = checkRegistrations(registrations);
    checkRange("codec.max-value-bytes", maxValueBytes, 1, MAX_BYTES_LIMIT);
    checkRange("codec.compression-threshold-bytes", compressionThresholdBytes, 0, Integer.MAX_VALUE);
    checkRange("codec.max-depth", maxDepth, 1, MAX_DEPTH_LIMIT);
    checkRange("codec.max-decompressed-bytes", maxDecompressedBytes, 1, MAX_BYTES_LIMIT);
  }

  /** The defaults: no class beyond the built-in JDK types, 1 MiB values, compression above 1 KiB. */
  public static CodecSettings defaults() {
    return new CodecSettings(List.of(), Map.of(), DEFAULT_MAX_VALUE_BYTES,
        DEFAULT_COMPRESSION_THRESHOLD_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  /** These settings with other {@code codec.allowed-class-prefixes}. */
  public CodecSettings withAllowedClassPrefixes(String... prefixes) {
    return withAllowedClassPrefixes(List.of(prefixes));
  }

  /** These settings with other {@code codec.allowed-class-prefixes}. */
  public CodecSettings withAllowedClassPrefixes(List<String> prefixes) {
    return new CodecSettings(prefixes, registrations, maxValueBytes, compressionThresholdBytes,
        maxDepth, maxDecompressedBytes);
  }

  /** These settings with other {@code codec.registrations}. */
  public CodecSettings withRegistrations(Map<Integer, String> newRegistrations) {
    return new CodecSettings(allowedClassPrefixes, newRegistrations, maxValueBytes,
        compressionThresholdBytes, maxDepth, maxDecompressedBytes);
  }

  /** These settings with another {@code codec.max-value-bytes}. */
  public CodecSettings withMaxValueBytes(int bytes) {
    return new CodecSettings(allowedClassPrefixes, registrations, bytes, compressionThresholdBytes,
        maxDepth, maxDecompressedBytes);
  }

  /** These settings with another {@code codec.compression-threshold-bytes}. */
  public CodecSettings withCompressionThresholdBytes(int bytes) {
    return new CodecSettings(allowedClassPrefixes, registrations, maxValueBytes, bytes, maxDepth,
        maxDecompressedBytes);
  }

  /** These settings with another {@code codec.max-depth}. */
  public CodecSettings withMaxDepth(int depth) {
    return new CodecSettings(allowedClassPrefixes, registrations, maxValueBytes,
        compressionThresholdBytes, depth, maxDecompressedBytes);
  }

  /** These settings with another {@code codec.max-decompressed-bytes}. */
  public CodecSettings withMaxDecompressedBytes(int bytes) {
    return new CodecSettings(allowedClassPrefixes, registrations, maxValueBytes,
        compressionThresholdBytes, maxDepth, bytes);
  }

  private static void checkRange(String setting, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(setting + " must be in " + min + ".." + max + ", was " + value);
    }
  }

  private static Map<Integer, String> checkRegistrations(Map<Integer, String> registrations) {
    if (registrations == null) {
      throw new IllegalArgumentException("codec.registrations must not be null (use an empty map)");
    }
    Map<String, Integer> idByName = new HashMap<>();
    for (Map.Entry<Integer, String> e : registrations.entrySet()) {
      Integer id = e.getKey();
      String name = e.getValue();
      if (id == null || id < MIN_REGISTRATION_ID || id > MAX_REGISTRATION_ID) {
        throw new IllegalArgumentException("codec.registrations: id " + id + " must be in "
            + MIN_REGISTRATION_ID + ".." + MAX_REGISTRATION_ID + " (lower ids belong to the codec)");
      }
      if (name == null || !ClassAllowList.isClassName(name)) {
        throw new IllegalArgumentException("codec.registrations: id " + id
            + " must map to a fully qualified class name, was '" + name + "'");
      }
      if (DefaultRegistrations.isBuiltIn(name)) {
        throw new IllegalArgumentException("codec.registrations: " + name + " (id " + id
            + ") is registered by the codec already; remove it");
      }
      Integer previous = idByName.put(name, id);
      if (previous != null) {
        throw new IllegalArgumentException("codec.registrations: " + name + " is registered twice, "
            + "with ids " + Math.min(previous, id) + " and " + Math.max(previous, id));
      }
    }
    return Map.copyOf(Objects.requireNonNull(registrations));
  }
}
