package io.layercache.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.layercache.layer.StoredEntry;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The L2 codec: a {@link StoredEntry} as a checked envelope around a Kryo payload, optionally
 * LZ4-compressed. Remote layers store these bytes; anyone with write access to the remote store
 * can write them too, so decoding treats them as hostile (see docs/guarantees.md, security rules S1–S3, S8, S10).
 *
 * <h2>Envelope (format version 1, big-endian)</h2>
 * <table>
 *   <caption>Envelope layout</caption>
 *   <tr><th>Offset</th><th>Bytes</th><th>Field</th><th>Checked on read</th></tr>
 *   <tr><td>0</td><td>2</td><td>magic {@code "LC"} (0x4C 0x43)</td><td>else BAD_MAGIC</td></tr>
 *   <tr><td>2</td><td>1</td><td>format version = 1</td><td>else UNSUPPORTED_VERSION</td></tr>
 *   <tr><td>3</td><td>1</td><td>codec id, 1 = Kryo</td><td>must equal the configured codec, else
 *       CODEC_MISMATCH; never used to choose a codec</td></tr>
 *   <tr><td>4</td><td>1</td><td>flags: bit 0 = LZ4; other bits 0</td><td>unknown bits: CORRUPT</td></tr>
 *   <tr><td>5</td><td>8</td><td>expireAt, epoch ms ({@code Long.MAX_VALUE} = eternal)</td><td></td></tr>
 *   <tr><td>13</td><td>8</td><td>writtenAt, write stamp (µs)</td><td></td></tr>
 *   <tr><td>21</td><td>8</td><td>key digest ({@link KeyDigest})</td><td>else KEY_MISMATCH</td></tr>
 *   <tr><td>29</td><td>1</td><td>tag count n ≤ 64</td><td>else CORRUPT</td></tr>
 *   <tr><td>30</td><td>n × (2 + len)</td><td>tags: u16 length ≤ 1024, UTF-8 bytes</td><td>strict
 *       UTF-8, no duplicates</td></tr>
 *   <tr><td>t</td><td>4</td><td>uncompressed payload length u</td><td>1 ≤ u ≤
 *       {@code codec.max-decompressed-bytes}, else CORRUPT / TOO_LARGE</td></tr>
 *   <tr><td>t+4</td><td>4</td><td>stored payload length s</td><td>s = u when not compressed;
 *       s + 4 = bytes left, else TRUNCATED / CORRUPT</td></tr>
 *   <tr><td>t+8</td><td>s</td><td>payload: Kryo {@code writeClassAndObject(value)}, LZ4 block
 *       when flagged</td><td>see below</td></tr>
 *   <tr><td>t+8+s</td><td>4</td><td>XXH32 (seed 0x4C430001) of all preceding bytes</td><td>else
 *       CHECKSUM_MISMATCH</td></tr>
 * </table>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #decode} never throws for bad bytes and never hands out a value from another key,
 *       of another type, or from bytes that fail the checksum.
 *   <li>Before Kryo runs: the total size is capped by {@code codec.max-value-bytes}; magic,
 *       version, codec id, lengths, checksum and key digest are checked. A Java serialization
 *       stream ({@code AC ED}) is BAD_MAGIC.
 *   <li>Decompression: the declared size is at most {@code codec.max-decompressed-bytes} and at
 *       most 255 × the stored size (LZ4's maximum ratio) before the buffer is allocated; the
 *       bounds-checking {@link LZ4SafeDecompressor} writes into a fresh array and must produce
 *       exactly the declared size.
 *   <li>Kryo reads only from the payload's bytes ({@link BoundedInput}), admits only registered
 *       and allowed classes ({@link AllowListClassResolver}), checks every declared length
 *       before allocating, stops at {@code codec.max-depth}, and never uses Java serialization
 *       ({@link SafeKryo}). The payload must be consumed exactly.
 *   <li>Compression only above {@code codec.compression-threshold-bytes} and only when it saves at
 *       least 15 %; otherwise the payload is stored raw.
 * </ul>
 *
 * <h2>Built-in types</h2>
 * Strings, boxed primitives, {@code BigInteger}, {@code BigDecimal}, {@code UUID}, {@code Date},
 * {@code java.time} values, primitive arrays, {@code String[]}, {@code Object[]}, {@code Serializable[]},
 * {@code ArrayList}, {@code LinkedList}, {@code ArrayDeque}, {@code HashMap},
 * {@code LinkedHashMap}, {@code TreeMap}, {@code HashSet}, {@code LinkedHashSet},
 * {@code TreeSet}, {@code List.of}/{@code Set.of}/{@code Map.of}, {@code Arrays.asList}, and the
 * empty and singleton collections of {@link java.util.Collections}. Everything else (enums
 * included) needs {@code codec.allowed-class-prefixes} or {@code codec.registrations}.
 *
 * <h2>Non-guarantees</h2>
 * <ul>
 *   <li>Object identity is not kept: a value referring to one object twice comes back with two
 *       copies, and cyclic values cannot be encoded.
 *   <li>Allowed classes are instantiated without their constructors (as Kryo does) and their
 *       {@code hashCode}/{@code equals}/{@code compareTo} run while maps and sets are rebuilt; an
 *       allowed prefix trusts every class under it.
 *   <li>A decoded payload can take several times its size in heap (small objects); size
 *       {@code codec.max-decompressed-bytes} to the heap.
 * </ul>
 *
 * @param <V> the value type
 */
public final class KryoEntryCodec<V> implements EntryCodec<V> {

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  /** Largest expansion of one LZ4 block: each extra length byte stands for at most 255 bytes. */
  private static final int LZ4_MAX_RATIO = 255;
  /** A pooled output that grew beyond this is replaced, so the pool does not pin large buffers. */
  private static final int RETAINED_OUTPUT_BYTES = 64 * 1024;
  private static final int POOL_SIZE = 32;

  private final CodecSettings settings;
  private final Class<V> valueType;
  private final Class<?> boxedValueType;
  private final LZ4Compressor compressor = LZ4.fastCompressor();
  private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
  private final Pool<Session> sessions;

  /** A Kryo instance with its buffers; used by one thread at a time. */
  private final class Session {
    final SafeKryo kryo;
    final BoundedInput input = new BoundedInput();
    Output output;

    Session(SafeKryo kryo) {
      this.kryo = kryo;
      this.output = newOutput();
    }
  }

  /**
   * A codec for values of {@code valueType}.
   *
   * @param settings    the codec settings
   * @param classLoader resolves allowed and registered classes (the cache's class loader)
   * @param valueType   the cache's value type; decoded values of another type are TYPE_MISMATCH
   *                    ({@code Object.class} for untyped caches)
   * @throws IllegalArgumentException naming {@code codec.registrations} when a registered class
   *                                  is missing or cannot be serialized safely
   */
  public KryoEntryCodec(CodecSettings settings, ClassLoader classLoader, Class<V> valueType) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(classLoader, "classLoader");
    this.valueType = Objects.requireNonNull(valueType, "valueType");
    this.boxedValueType = box(valueType);
    Map<Integer, Class<?>> registrations = resolve(settings.registrations(), classLoader);
    Set<String> registeredNames = new HashSet<>(DefaultRegistrations.names());
    registeredNames.addAll(settings.registrations().values());
    ClassAllowList allowList = new ClassAllowList(settings.allowedClassPrefixes(), registeredNames);
    SafeKryo first;
    try {
      first = new SafeKryo(allowList, classLoader, settings.maxDepth(), registrations);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("codec.registrations: " + e.getMessage(), e);
    }
    this.sessions = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Session create() {
        return new Session(new SafeKryo(allowList, classLoader, settings.maxDepth(), registrations));
      }
    };
    sessions.free(new Session(first));
  }

  @Override
  public CodecSettings settings() {
    return settings;
  }

  // ---- encoding ----

  @Override
  public Encoded encodeWithStats(long keyDigest, StoredEntry<V> entry) {
    long start = System.nanoTime();
    Objects.requireNonNull(entry, "entry");
    Object value = entry.value();
    if (entry.isNotFound()) {
      byte[] envelope = Envelope.write(Envelope.FLAG_NOT_FOUND, entry.expireAt(), entry.writtenAt(), keyDigest,
          Envelope.encodeTags(entry.tags()), 0, new byte[0], 0);
      return new Encoded(envelope, new EncodeStats(0, 0, envelope.length, false, System.nanoTime() - start));
    }
    if (!boxedValueType.isInstance(value)) {
      throw new IllegalArgumentException("value of type " + value.getClass().getName()
          + " given to a codec for " + valueType.getName());
    }
    byte[][] tags = Envelope.encodeTags(entry.tags());
    Session session = sessions.obtain();
    try {
      Output output = session.output;
      output.reset();
      serialize(session, value);
      int rawLength = output.position();
      byte[] compressed = compressIfWorthIt(output.getBuffer(), rawLength);
      byte[] stored = compressed != null ? compressed : output.getBuffer();
      int storedLength = compressed != null ? compressed.length : rawLength;
      long size = Envelope.size(tags, storedLength);
      if (size > settings.maxValueBytes()) {
        throw new ValueTooLargeException(size, settings.maxValueBytes(), "codec.max-value-bytes");
      }
      int flags = (compressed != null ? Envelope.FLAG_LZ4 : 0)
          | (entry.kind() == StoredEntry.Kind.FAIL_SAFE ? Envelope.FLAG_FAIL_SAFE : 0);
      byte[] envelope = Envelope.write(flags, entry.expireAt(), entry.writtenAt(), keyDigest, tags,
          rawLength, stored, storedLength);
      EncodeStats stats = new EncodeStats(rawLength, storedLength, envelope.length,
          compressed != null, System.nanoTime() - start);
      return new Encoded(envelope, stats);
    } finally {
      release(session);
    }
  }

  /** The LZ4 block of a payload above the threshold when it saves at least 15 %, else null. */
  private byte[] compressIfWorthIt(byte[] raw, int rawLength) {
    if (rawLength <= settings.compressionThresholdBytes()) {
      return null;
    }
    byte[] block = new byte[compressor.maxCompressedLength(rawLength)];
    int blockLength = compressor.compress(raw, 0, rawLength, block, 0, block.length);
    return blockLength * 100L <= rawLength * 85L ? Arrays.copyOf(block, blockLength) : null;
  }

  private void serialize(Session session, Object value) {
    try {
      session.kryo.writeClassAndObject(session.output, value);
    } catch (RuntimeException | StackOverflowError e) {
      if (find(e, KryoBufferOverflowException.class) != null) {
        throw new ValueTooLargeException(settings.maxDecompressedBytes() + 1L,
            settings.maxDecompressedBytes(), "codec.max-decompressed-bytes");
      }
      ClassNotAllowedException refused = find(e, ClassNotAllowedException.class);
      if (refused != null) {
        throw new IllegalArgumentException("Cannot store a " + value.getClass().getName()
            + " in L2: " + refused.getMessage() + ". Add its package to "
            + "codec.allowed-class-prefixes or give it an id in codec.registrations", e);
      }
      if (isDepthFailure(e)) {
        throw new IllegalArgumentException("Cannot store a " + value.getClass().getName()
            + " in L2: it nests deeper than codec.max-depth = " + settings.maxDepth()
            + " or refers to itself", e);
      }
      throw new IllegalArgumentException("Cannot store a " + value.getClass().getName()
          + " in L2: " + e.getMessage(), e);
    }
  }

  // ---- decoding ----

  @Override
  public DecodeResult<V> decode(byte[] bytes, long expectedKeyDigest) {
    try {
      Envelope.Header header = Envelope.parse(bytes, Envelope.CODEC_KRYO, settings.maxValueBytes(),
          settings.maxDecompressedBytes());
      if (header.keyDigest() != expectedKeyDigest) {
        return new DecodeResult.Rejected<>(RejectReason.KEY_MISMATCH,
            "envelope belongs to another key");
      }
      if ((header.flags() & Envelope.FLAG_NOT_FOUND) != 0) {
        if (header.storedLength() != 0 || header.flags() != Envelope.FLAG_NOT_FOUND) {
          return new DecodeResult.Rejected<>(RejectReason.CORRUPT, "a not-found entry with a payload or other flags");
        }
        return new DecodeResult.Decoded<>(StoredEntry.notFound(header.expireAt(), header.writtenAt()));
      }
      Object value = header.compressed()
          ? readValue(decompress(bytes, header), 0, header.uncompressedLength())
          : readValue(bytes, header.payloadOffset(), header.storedLength());
      if (!boxedValueType.isInstance(value)) {
        return new DecodeResult.Rejected<>(RejectReason.TYPE_MISMATCH, "a "
            + value.getClass().getName() + " where " + valueType.getName() + " was expected");
      }
      @SuppressWarnings("unchecked") // checked against the boxed value type above
      V typed = (V) value;
      StoredEntry.Kind kind = (header.flags() & Envelope.FLAG_FAIL_SAFE) != 0
          ? StoredEntry.Kind.FAIL_SAFE : StoredEntry.Kind.VALUE;
      return new DecodeResult.Decoded<>(StoredEntry.of(typed, header.expireAt(),
          header.writtenAt(), header.tags(), kind, 0L));
    } catch (Envelope.Rejection rejection) {
      return new DecodeResult.Rejected<>(rejection.reason(), rejection.getMessage());
    } catch (RuntimeException unexpected) {
      // Every known failure is classified above; this keeps "decode never throws" unconditional.
      return new DecodeResult.Rejected<>(RejectReason.CORRUPT, "unexpected "
          + unexpected.getClass().getSimpleName());
    }
  }

  private byte[] decompress(byte[] bytes, Envelope.Header header) throws Envelope.Rejection {
    int expected = header.uncompressedLength();
    if (expected > (long) header.storedLength() * LZ4_MAX_RATIO) {
      throw new Envelope.Rejection(RejectReason.DECOMPRESSION_FAILED, header.storedLength()
          + " LZ4 bytes cannot expand to " + expected);
    }
    byte[] out = new byte[expected];
    int produced;
    try {
      produced = decompressor.decompress(bytes, header.payloadOffset(), header.storedLength(),
          out, 0, expected);
    } catch (LZ4Exception | IndexOutOfBoundsException e) {
      throw new Envelope.Rejection(RejectReason.DECOMPRESSION_FAILED, "invalid LZ4 block");
    }
    if (produced != expected) {
      throw new Envelope.Rejection(RejectReason.DECOMPRESSION_FAILED, "LZ4 block expands to "
          + produced + " bytes, " + expected + " declared");
    }
    return out;
  }

  private Object readValue(byte[] payload, int offset, int length) throws Envelope.Rejection {
    Session session = sessions.obtain();
    try {
      BoundedInput input = session.input;
      input.startPayload(payload, offset, length);
      Object value = session.kryo.readClassAndObject(input);
      if (value == null) {
        throw new Envelope.Rejection(RejectReason.CORRUPT, "payload holds null");
      }
      if (input.remaining() != 0) {
        throw new Envelope.Rejection(RejectReason.CORRUPT, input.remaining()
            + " payload bytes left after the value");
      }
      return value;
    } catch (StackOverflowError e) {
      throw new Envelope.Rejection(RejectReason.TOO_DEEP, "stack exhausted");
    } catch (RuntimeException | LinkageError e) {
      throw classify(e);
    } finally {
      session.input.clear();
      release(session);
    }
  }

  private Envelope.Rejection classify(Throwable failure) {
    ClassNotAllowedException refused = find(failure, ClassNotAllowedException.class);
    if (refused != null) {
      return new Envelope.Rejection(RejectReason.CLASS_NOT_ALLOWED, refused.className()
          + " is neither registered nor allowed");
    }
    DeclaredLengthException length = find(failure, DeclaredLengthException.class);
    if (length != null) {
      return new Envelope.Rejection(RejectReason.CORRUPT, firstLine(length.getMessage()));
    }
    if (isDepthFailure(failure)) {
      return new Envelope.Rejection(RejectReason.TOO_DEEP, "nested deeper than codec.max-depth = "
          + settings.maxDepth());
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new Envelope.Rejection(RejectReason.CORRUPT, "payload unreadable: "
        + ClassNotAllowedException.printable(root.getClass().getSimpleName() + ": "
        + firstLine(String.valueOf(root.getMessage()))));
  }

  // ---- helpers ----

  private void release(Session session) {
    if (session.kryo.getDepth() != 0) {
      return; // interrupted mid-graph (stack overflow): drop it rather than trust its state
    }
    if (session.output.getBuffer().length > RETAINED_OUTPUT_BYTES) {
      session.output = newOutput();
    }
    sessions.free(session);
  }

  private Output newOutput() {
    return new Output(Math.min(4096, settings.maxDecompressedBytes()), settings.maxDecompressedBytes());
  }

  private static boolean isDepthFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Kryo signals its depth limit only through this message (Kryo.beginObject).
      if (t instanceof StackOverflowError
          || (t instanceof KryoException && String.valueOf(t.getMessage()).startsWith("Max depth exceeded"))) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static Map<Integer, Class<?>> resolve(Map<Integer, String> names, ClassLoader loader) {
    Map<Integer, Class<?>> classes = new LinkedHashMap<>();
    names.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      try {
        classes.put(e.getKey(), Class.forName(e.getValue(), false, loader));
      } catch (ClassNotFoundException | LinkageError notFound) {
        throw new IllegalArgumentException("codec.registrations: class " + e.getValue() + " (id "
            + e.getKey() + ") is not found by the cache's class loader", notFound);
      }
    });
    return Map.copyOf(classes);
  }

  private static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
  }
}
