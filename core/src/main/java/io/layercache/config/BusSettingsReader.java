package io.layercache.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.layercache.bus.BusConfig;
import io.layercache.bus.BusFactories;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusSpec;
import java.time.Duration;

/** Reads a cache's {@code bus} section: the transport through its factory, the shared settings here. */
final class BusSettingsReader {

  private BusSettingsReader() {}

  /** The bus of the cache whose merged section is {@code cache}. */
  static BusConfig read(Config cache, String path, ClassLoader classLoader) {
    Settings s = new Settings(cache.getConfig("bus"), path + ".bus");
    String type = s.getString("type");
    if (type.equals("none")) {
      return BusConfig.none();
    }
    BusSpec transport;
    try {
      transport = BusFactories.find(type, classLoader).parse(cache, path, classLoader);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(s.pathOf(type) + ": " + e.getMessage(), e);
    }
    return BusConfig.of(transport, settings(s, cache.getConfig("bus")));
  }

  private static BusSettings settings(Settings s, Config bus) {
    String source = s.optionalString("source");
    Settings dedupe = new Settings(bus.getConfig("dedupe"), s.pathOf("dedupe"));
    Settings retry = new Settings(bus.getConfig("retry-queue"), s.pathOf("retry-queue"));
    Settings breaker = new Settings(bus.getConfig("circuit-breaker"), s.pathOf("circuit-breaker"));
    Settings signing = new Settings(bus.getConfig("signing"), s.pathOf("signing"));
    int broadcastMax = s.optionalInt("broadcast-set-max-bytes", 0);
    int maxMessage = s.optionalInt("max-message-bytes", BusSettings.DEFAULT_MAX_MESSAGE_BYTES);
    int tracked = dedupe.optionalInt("max-entries", 10_000);
    Duration window = dedupe.optionalDuration("ttl");
    int retrySize = retry.getBoolean("enabled") ? retry.optionalInt("max-size", 10_000) : 0;
    int threshold = breaker.optionalInt("failure-threshold", 3);
    Duration breakDuration = breaker.optionalDuration("break-duration");
    Duration heartbeat = s.optionalDuration("heartbeat-interval");
    Duration reconcile = s.optionalDuration("reconcile-interval");
    String secret = signing.optionalString("secret");
    String keyId = signing.optionalString("key-id");
    boolean required = signing.getBoolean("required");
    Settings previous = new Settings(bus.getConfig("signing.previous"), signing.pathOf("previous"));
    String previousKeyId = previous.optionalString("key-id");
    String previousSecret = previous.optionalString("secret");
    return s.validated(() -> new BusSettings(source == null ? BusSettings.defaultSource() : source,
        s.getBoolean("subscribe"), s.getBoolean("broadcast-set"), broadcastMax, maxMessage, tracked, window, retrySize,
        new BusSettings.Breaker(threshold, breakDuration), heartbeat, reconcile,
        new BusSettings.Signing(keyId, utf8(secret), required, previousKeyId, utf8(previousSecret))));
  }

  private static byte[] utf8(String secret) {
    return secret == null ? null : secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
