package io.layercache.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.jcache.LayerCachingProvider;
import io.layercache.testsupport.NatsServer;
import io.layercache.testsupport.NatsServerExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two instances configured by a file with {@code bus.type = nats} (JetStream), and file errors naming the setting. */
@ExtendWith(NatsServerExtension.class)
class NatsConfigFileIT {

  private final List<CacheManager> managers = new ArrayList<>();
  private final String id = java.util.UUID.randomUUID().toString().substring(0, 8);

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    managers.forEach(CacheManager::close);
  }

  private CacheManager manager(String hocon) throws IOException {
    Path file = Files.writeString(dir.resolve("layercache-" + managers.size() + ".conf"), hocon);
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(file.toUri(), getClass().getClassLoader());
    managers.add(manager);
    return manager;
  }

  private String file(NatsServer server, String durable) {
    return """
        layercache.default {
          layers = [memory]
          bus {
            type = nats
            heartbeat-interval = 200ms
            nats {
              mode = jetstream
              servers = "%s"
              subject = "file.%s"
              jetstream { stream = FILE_%s, durable-name = %s-%s, storage = memory }
            }
          }
        }
        layercache.caches.users {}
        """.formatted(server.uri(), id, id, durable, id);
  }

  @Test
  void instancesConfiguredByFileShareTheBus(NatsServer server) throws IOException {
    Cache<String, String> a = manager(file(server, "a")).getCache("users");
    Cache<String, String> b = manager(file(server, "b")).getCache("users");
    b.put("k", "b's own");
    assertThat(b.get("k")).isEqualTo("b's own");

    a.put("k", "a's");

    // memory-only instances: A's put makes B forget its copy
    await().atMost(NatsBusFixture.WITHIN).untilAsserted(() -> assertThat(b.get("k")).isNull());
    @SuppressWarnings("unchecked")
    var layered = (io.layercache.LayerCache<String, String>) b.unwrap(io.layercache.LayerCache.class);
    assertThat(layered.busStatistics().orElseThrow().transportDetail())
        .isEqualTo("consuming stream FILE_" + id + " as durable b-" + id);
  }

  @Test
  void fileErrorsNameTheSetting(NatsServer server) {
    String noDurable = file(server, "a").replace("durable-name = a-" + id + ",", "");
    assertThatThrownBy(() -> manager(noDurable).getCache("users"))
        .hasStackTraceContaining("bus.nats.jetstream.durable-name is required with bus.nats.mode = jetstream");
    String typo = file(server, "a").replace("storage = memory", "storage = memory, ack-wiat = 5s");
    assertThatThrownBy(() -> manager(typo).getCache("users"))
        .hasStackTraceContaining("bus.nats.jetstream.ack-wiat: unknown setting");
  }
}
