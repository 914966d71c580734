package io.layercache.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.layercache.LayerCache;
import io.layercache.jcache.LayerCachingProvider;
import io.layercache.testsupport.RabbitMqServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances configured by files ({@code bus.type = rabbitmq}, durable mode): a change on one reaches the other. */
class RabbitMqConfigFileIT extends RabbitMqFixture {

  @TempDir
  Path directory;

  RabbitMqConfigFileIT(RabbitMqServer broker) {
    super(broker);
  }

  private CacheManager instanceFromFile(String name) throws Exception {
    Path file = directory.resolve(name + ".conf");
    Files.writeString(file, """
        layercache {
          default {
            layers = [memory]
            bus {
              type = rabbitmq
              source = %s
              heartbeat-interval = 200ms
              reconcile-interval = 1s
              rabbitmq {
                url = "%s"
                exchange = "%s"
                durable-invalidation-mode = true
                queue-name = "%s"
              }
            }
          }
          caches { users {} }
        }
        """.formatted(name, broker.url(), exchange, durable(name).queueName()));
    CacheManager manager = Caching.getCachingProvider(LayerCachingProvider.class.getName())
        .getCacheManager(file.toUri(), getClass().getClassLoader());
    closeLater(manager);
    return manager;
  }

  @Test
  void instancesConfiguredByFileShareTheBus() throws Exception {
    @SuppressWarnings("unchecked")
    LayerCache<Object, Object> a = instanceFromFile("host-a").getCache("users").unwrap(LayerCache.class);
    @SuppressWarnings("unchecked")
    LayerCache<Object, Object> b = instanceFromFile("host-b").getCache("users").unwrap(LayerCache.class);
    awaitHealthy(List.of(a, b));
    assertThat(stats(b).transportDetail()).isEqualTo("consuming");
    b.asJCache().put("k", "b's value");
    await().atMost(WITHIN).until(() -> stats(a).received() >= 1);

    a.asJCache().put("k", "a's value");

    await().atMost(WITHIN).untilAsserted(() -> assertThat(b.asJCache().get("k")).isNull());
    assertThat(a.asJCache().get("k")).isEqualTo("a's value");
  }
}
