package io.layercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.EntryOptions;
import io.layercache.LayerCache;
import io.layercache.LayerCacheConfiguration;
import io.layercache.LayerStatistics;
import io.layercache.layer.memory.MemoryLayerSpec;
import io.layercache.redis.RedisLayerSpec;
import io.layercache.testsupport.RedisServer;
import io.layercache.testsupport.RedisServerExtension;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every code block of the README, compiled and run: each {@code java} block is copied verbatim
 * between {@code // README java N} and {@code // README end} markers below (the first test checks
 * that the copies still match the README), and each {@code hocon} block is read from the README
 * and loaded as a cache manager's configuration file.
 */
@ExtendWith(RedisServerExtension.class)
class ReadmeSamplesTest {

  private static final Path README = Path.of("..", "README.md");
  private static final Path THIS_FILE =
      Path.of("src", "test", "java", "io", "layercache", "examples", "ReadmeSamplesTest.java");

  /** The value type of the samples; store-by-value (the JCache default) needs it serializable. */
  record User(String id, String name) implements Serializable {
  }

  /** Stands for the application's database in the samples. */
  static final class Database {
    final AtomicInteger queries = new AtomicInteger();

    User findUser(String id) {
      queries.incrementAndGet();
      return new User(id, "loaded " + id);
    }
  }

  private final Database db = new Database();
  private final User ada = new User("user:1", "Ada Lovelace");
  private final User grace = new User("user:7", "Grace Hopper");

  @Test
  void everyJavaBlockOfTheReadmeIsCopiedHereVerbatim() throws IOException {
    List<String> inReadme = blocks(Files.readString(README), "java");
    String source = Files.readString(THIS_FILE);
    List<String> here = new ArrayList<>();
    Matcher copies = Pattern.compile("(?s)// README java \\d+\\n(.*?)\\n\\s*// README end").matcher(source);
    while (copies.find()) {
      here.add(normalized(copies.group(1)));
    }
    assertThat(inReadme).as("README.md java blocks").isNotEmpty();
    assertThat(here).as("the copies in this test, in README order").isEqualTo(inReadme);
  }

  @Test
  @SuppressWarnings("unchecked") // Cache.unwrap(LayerCache.class) returns the raw type
  void theFirstSampleRunsAsTheReadmeSays() {
    // README java 1
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, User> users = manager.createCache("users",
        new LayerCacheConfiguration<String, User>().setTypes(String.class, User.class));
    users.put("user:1", ada);                                        // JCache as usual

    LayerCache<String, User> layered = users.unwrap(LayerCache.class);
    User u = layered.get("user:42", id -> db.findUser(id));           // 100 callers -> 1 load
    layered.set("user:7", grace, EntryOptions.defaults().withTags("team:7").withTtl(Duration.ofMinutes(5)));
    layered.invalidateByTag("team:7");                                // one write, any number of entries
    layered.layerStatistics();                  // hits/misses per layer (counted while statistics are on)
    // README end
    try {
      assertThat(users.get("user:1")).isEqualTo(ada);
      assertThat(u).isEqualTo(new User("user:42", "loaded user:42"));
      assertThat(db.queries).hasValue(1);
      assertThat(users.get("user:7")).as("hidden by invalidateByTag").isNull();
      assertThat(layered.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory");
    } finally {
      manager.destroyCache("users");
    }
  }

  @Test
  void theRedisSampleBuildsAMemoryOverRedisConfiguration() {
    LayerCacheConfiguration<String, User> configuration =
        // README java 2
        new LayerCacheConfiguration<String, User>()
            .setLayers(MemoryLayerSpec.defaults(), RedisLayerSpec.of("redis://127.0.0.1:6379"));
        // README end
    assertThat(configuration.getLayers()).hasSize(2);
    assertThat(configuration.getLayers().get(1)).isInstanceOf(RedisLayerSpec.class);
  }

  @Test
  void theNamedCacheBlockIsAValidConfigurationFile() throws IOException {
    String hocon = blocks(Files.readString(README), "hocon").get(0);
    try (CacheManager manager = managerOf(hocon)) {
      Cache<Object, Object> orders = manager.getCache("orders");
      assertThat(orders).as("the named cache of the README").isNotNull();
      orders.put("o1", "order");
      assertThat(orders.get("o1")).isEqualTo("order");
    }
  }

  @Test
  void theRedisBlockPutsRedisUnderEveryCache(RedisServer redis) throws IOException {
    String hocon = blocks(Files.readString(README), "hocon").get(1);
    assertThat(hocon).contains("\"redis://127.0.0.1:6379\"");
    // the same file, pointed at the test's own redis-server
    try (CacheManager manager = managerOf(hocon.replace("redis://127.0.0.1:6379", redis.uri()))) {
      Cache<String, String> cache = manager.createCache("users", new MutableConfiguration<>());
      cache.put("k", "v");
      @SuppressWarnings("unchecked")
      LayerCache<String, String> layered = cache.unwrap(LayerCache.class);
      assertThat(layered.layerStatistics()).extracting(LayerStatistics::layer).containsExactly("memory", "redis");
      assertThat(redis.command("EXISTS", "lc:users:e:{sk}")).isEqualTo(1L);
    }
  }

  @Test
  void theBusBlockKeepsTwoInstancesCoherent(RedisServer redis) throws IOException {
    String hocon = blocks(Files.readString(README), "hocon").get(2).replace("redis://127.0.0.1:6379", redis.uri());
    assertThat(hocon).contains("bus.type = redis");
    try (CacheManager a = managerOf(hocon); CacheManager b = managerOf(hocon)) {
      Cache<String, String> onA = a.createCache("bus", new MutableConfiguration<>());
      Cache<String, String> onB = b.createCache("bus", new MutableConfiguration<>());
      onA.put("k", "v1");
      @SuppressWarnings("unchecked")
      LayerCache<String, String> layeredB = onB.unwrap(LayerCache.class);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(onB.get("k")).isEqualTo("v1");
        assertThat(layeredB.entryInfo("k").orElseThrow().layer()).isEqualTo("memory");
      });
      onA.put("k", "v2");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(onB.get("k")).isEqualTo("v2"));
    }
  }

  private static CacheManager managerOf(String hocon) throws IOException {
    Path file = Files.createTempFile("readme", ".conf");
    file.toFile().deleteOnExit();
    Files.writeString(file, hocon);
    URI uri = file.toUri();
    return Caching.getCachingProvider().getCacheManager(uri, ReadmeSamplesTest.class.getClassLoader());
  }

  /** The fenced code blocks of one language, in order, normalized. */
  private static List<String> blocks(String markdown, String language) {
    List<String> found = new ArrayList<>();
    Matcher fences = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```$").matcher(markdown);
    while (fences.find()) {
      found.add(normalized(fences.group(1)));
    }
    return found;
  }

  /** Lines without their indentation or trailing blanks; blank lines dropped. */
  private static String normalized(String code) {
    return code.lines().map(String::strip).filter(line -> !line.isEmpty())
        .reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
