package io.layercache.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercache.codec.CodecSettings;
import io.layercache.codec.KryoEntryCodec;
import io.layercache.layer.StoredEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode and decode of a ~1 KB object and a ~1 MB listing-like payload: LayerCache's Kryo
 * envelope codec (with and without LZ4), java.io serialization (plain and gzip) and JSON
 * (Jackson, plain and gzip). {@link #main} prints the sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

  /** One listing of a marketplace-like page. */
  public static final class Listing implements Serializable {
    private static final long serialVersionUID = 1L;
    public long id;
    public String title;
    public String seller;
    public String city;
    public double price;
    public int stock;
    public List<String> tags;
    public String description;

    public Listing() {}

    Listing(long id, Random random) {
      this.id = id;
      this.title = "Listing " + id + " vintage oak side table, hand finished";
      this.seller = "seller-" + random.nextInt(500);
      this.city = List.of("Lyon", "Porto", "Graz", "Leeds", "Ghent").get(random.nextInt(5));
      this.price = Math.round(random.nextDouble() * 100_000) / 100.0;
      this.stock = random.nextInt(50);
      this.tags = List.of("furniture", "oak", "tables", "vintage");
      this.description = "Solid oak, 45 x 45 x 60 cm, small marks consistent with age; ships in 3 days.";
    }
  }

  /** A page of listings. */
  public static final class Page implements Serializable {
    private static final long serialVersionUID = 1L;
    public int page;
    public ArrayList<Listing> listings = new ArrayList<>();

    public Page() {}
  }

  @Param({"1KB", "1MB"})
  public String payload;

  @Param({"kryo", "kryo-lz4", "java", "java-gzip", "json", "json-gzip"})
  public String codec;

  private Object value;
  private byte[] encoded;
  private KryoEntryCodec<Object> kryo;
  private final ObjectMapper json = new ObjectMapper();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    value = payload.equals("1KB") ? oneKilobyte() : oneMegabyte();
    CodecSettings settings = CodecSettings.defaults().withAllowedClassPrefixes("io.layercache.benchmarks.")
        .withMaxValueBytes(16 << 20)
        .withCompressionThresholdBytes(codec.equals("kryo-lz4") ? 64 : Integer.MAX_VALUE);
    kryo = new KryoEntryCodec<>(settings, getClass().getClassLoader(), Object.class);
    encoded = encode();
  }

  static Object oneKilobyte() {
    Page page = new Page();
    Random random = new Random(1);
    for (int i = 0; i < 4; i++) {
      page.listings.add(new Listing(i, random));
    }
    return page;
  }

  static Object oneMegabyte() {
    Page page = new Page();
    Random random = new Random(2);
    for (int i = 0; i < 4_000; i++) {
      page.listings.add(new Listing(i, random));
    }
    return page;
  }

  @Benchmark
  public byte[] encode() throws IOException {
    return switch (codec) {
      case "kryo", "kryo-lz4" -> kryo.encode(42L, StoredEntry.of(value, StoredEntry.ETERNAL, 1L, Set.of()));
      case "java" -> javaSerialize(value, false);
      case "java-gzip" -> javaSerialize(value, true);
      case "json" -> json.writeValueAsBytes(value);
      case "json-gzip" -> gzip(json.writeValueAsBytes(value));
      default -> throw new IllegalArgumentException(codec);
    };
  }

  @Benchmark
  public Object decode() throws Exception {
    return switch (codec) {
      case "kryo", "kryo-lz4" -> kryo.decode(encoded, 42L);
      case "java" -> javaDeserialize(encoded, false);
      case "java-gzip" -> javaDeserialize(encoded, true);
      case "json" -> json.readValue(encoded, Page.class);
      case "json-gzip" -> json.readValue(gunzip(encoded), Page.class);
      default -> throw new IllegalArgumentException(codec);
    };
  }

  private static byte[] javaSerialize(Object value, boolean compress) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(compress ? new GZIPOutputStream(bytes) : bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** Benchmark baseline only: java.io deserialization of bytes this process just wrote. */
  private static Object javaDeserialize(byte[] bytes, boolean compressed) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(compressed
        ? new GZIPInputStream(new ByteArrayInputStream(bytes)) : new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(info -> info.serialClass() == null
          || info.serialClass().getName().startsWith("io.layercache.benchmarks.")
          || info.serialClass().getName().startsWith("java.")
          || info.serialClass().isArray() || info.serialClass().isPrimitive()
          ? java.io.ObjectInputFilter.Status.ALLOWED : java.io.ObjectInputFilter.Status.REJECTED);
      return in.readObject();
    }
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  private static byte[] gunzip(byte[] compressed) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  /** Prints the encoded size of each payload with each codec, as a markdown table. */
  public static void main(String[] args) throws Exception {
    System.out.println("| payload | codec | bytes |");
    System.out.println("|---|---|---:|");
    for (String payload : List.of("1KB", "1MB")) {
      for (String codec : List.of("kryo", "kryo-lz4", "java", "java-gzip", "json", "json-gzip")) {
        CodecBenchmark bench = new CodecBenchmark();
        bench.payload = payload;
        bench.codec = codec;
        bench.setUp();
        System.out.printf("| %s | %s | %,d |%n", payload, codec, bench.encoded.length);
      }
    }
  }
}
