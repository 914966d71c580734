package io.layercache.redis;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.layercache.codec.CodecSettings;
import io.layercache.config.Settings;
import io.layercache.layer.Layer;
import io.layercache.layer.LayerContext;
import io.layercache.layer.LayerFactory;
import io.layercache.layer.LayerSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Builds {@link RedisLayer}s; found by core through {@link java.util.ServiceLoader} as type {@code redis}. */
public final class RedisLayerFactory implements LayerFactory {

  @Override
  public String type() {
    return RedisLayerSpec.TYPE;
  }

  @Override
  public LayerSpec parse(Config settings, String path, ClassLoader classLoader) {
    Settings s = new Settings(settings, path);
    RedisConnection connection = connection(s, settings);
    String namespace = s.getString("namespace");
    Duration ttl = s.optionalDuration("ttl");
    Duration grace = s.optionalDuration("expired-entry-grace");
    Duration scanTimeout = s.optionalDuration("scan-timeout");
    String oversized = s.getString("oversized");
    OversizePolicy policy;
    try {
      policy = OversizePolicy.valueOf(oversized.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(s.pathOf("oversized") + " must be skip or refuse, was '" + oversized + "'");
    }
    CodecSettings codec = codec(new Settings(settings.getConfig("codec"), path + ".codec"), settings.getObject("codec"));
    return s.validated(() -> new RedisLayerSpec(connection, namespace, ttl, grace, policy, codec, scanTimeout));
  }

  @Override
  public <K, V> Layer<K, V> create(LayerSpec spec, LayerContext<K, V> context) {
    RedisLayerSpec redis = (RedisLayerSpec) spec;
    var client = RedisClients.clientFor(redis.connection(), context.shared());
    KryoEnvelopeCodec<V> codec = new KryoEnvelopeCodec<>(redis.codec(), context.classLoader(), context.valueType(),
        redis.namespace() + ":" + context.cacheName());
    RedisKeys keys = new RedisKeys(redis.namespace(), context.cacheName(), codec.keyBytes());
    return new RedisLayer<>(context.cacheName(), client, keys, codec, redis, context.timeSource(),
        waitMillis(redis.connection()), context.retainExpiredMillis(), context.tagRetentionMillis(),
        leaseShared(client, redis.namespace(), context.shared()));
  }

  private static RedisLoadLeases.Shared leaseShared(org.redisson.api.RedissonClient client, String namespace,
      io.layercache.layer.SharedResources shared) {
    return new RedisLoadLeases.Shared(shared.computeIfAbsent(LeaseRenewer.RESOURCE_KEY, LeaseRenewer::new),
        shared.computeIfAbsent(LeaseReleases.resourceKey(client, namespace), () -> new LeaseReleases(client, namespace)));
  }

  /** The longest a layer call waits: every attempt's timeout, plus scheduling slack. */
  static long waitMillis(RedisConnection connection) {
    if (connection instanceof RedisConnection.Addresses a) {
      return a.commandTimeout().toMillis() * (a.retryAttempts() + 1) + 100;
    }
    return 3_000;
  }

  static RedisConnection connection(Settings s, Config settings) {
    String yaml = s.optionalString("redisson-config");
    if (yaml != null) {
      try {
        return new RedisConnection.RedissonConfig(org.redisson.config.Config.fromYAML(new File(yaml)),
            new File(yaml).getAbsolutePath());
      } catch (IOException e) {
        throw new IllegalArgumentException(s.pathOf("redisson-config") + ": cannot read " + yaml + ": " + e.getMessage(), e);
      }
    }
    String mode = s.getString("mode");
    RedisConnection.Mode parsed;
    try {
      parsed = RedisConnection.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(s.pathOf("mode") + " must be standalone, cluster or sentinel, was '" + mode + "'");
    }
    List<String> addresses = parsed == RedisConnection.Mode.STANDALONE ? List.of(s.getString("address")) : s.getStringList("nodes");
    Long database = s.optionalLong("database");
    Long retries = s.optionalLong("retry-attempts");
    Duration connectTimeout = s.optionalDuration("connect-timeout");
    Duration commandTimeout = s.optionalDuration("command-timeout");
    String masterName = s.optionalString("master-name");
    String username = s.optionalString("username");
    String password = s.optionalString("password");
    RedisConnection.Tls tls = tls(s, new Settings(settings.getConfig("tls"), s.pathOf("tls")));
    return s.validated(() -> new RedisConnection.Addresses(parsed, addresses, masterName, username, password,
        database == null ? 0 : database.intValue(), connectTimeout, commandTimeout, retries == null ? 1 : retries.intValue(),
        tls));
  }

  /**
   * The {@code redis.tls} section ({@code s}: the {@code redis} section); its files are checked to
   * be readable, and read when the client is created.
   */
  private static RedisConnection.Tls tls(Settings redis, Settings s) {
    Path caFile = optionalPath(s, "ca-file");
    Path truststore = optionalPath(s, "truststore");
    String truststorePassword = s.optionalString("truststore-password");
    Path keystore = optionalPath(s, "keystore");
    String keystorePassword = s.optionalString("keystore-password");
    boolean verifyHostname = s.getBoolean("verify-hostname");
    return redis.validated(() -> new RedisConnection.Tls(caFile, truststore, truststorePassword, keystore,
        keystorePassword, verifyHostname));
  }

  private static Path optionalPath(Settings s, String key) {
    String value = s.optionalString(key);
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(s.pathOf(key) + " must be a file path or null, was '" + value + "'");
    }
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(s.pathOf(key) + ": '" + value + "' is not a file path: " + e.getMessage(), e);
    }
  }

  private static CodecSettings codec(Settings s, ConfigObject section) {
    List<String> prefixes = s.getStringList("allowed-class-prefixes");
    Map<Integer, String> registrations = new TreeMap<>();
    ConfigObject declared = (ConfigObject) section.get("registrations");
    for (String id : declared.keySet()) {
      try {
        registrations.put(Integer.valueOf(id), String.valueOf(declared.get(id).unwrapped()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(s.pathOf("registrations") + ": '" + id + "' is not a numeric Kryo id");
      }
    }
    int maxValueBytes = s.getInt("max-value-bytes");
    int threshold = s.getInt("compression-threshold-bytes");
    int maxDepth = s.getInt("max-depth");
    int maxDecompressed = s.getInt("max-decompressed-bytes");
    return s.validated(() -> new CodecSettings(prefixes, registrations, maxValueBytes, threshold, maxDepth, maxDecompressed));
  }
}
