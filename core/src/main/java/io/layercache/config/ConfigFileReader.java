package io.layercache.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.layercache.EntryOptions;
import io.layercache.LayerCacheConfiguration;
import io.layercache.layer.LayerFactories;
import io.layercache.layer.LayerSpec;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * Reads the HOCON configuration of a cache manager (the format and loading rules of Typesafe
 * Config, as Caffeine's JCache provider uses them).
 *
 * <ul>
 *   <li>The default URI reads {@code application.conf} (or the file named by the standard
 *       {@code config.file} / {@code config.resource} system properties) over every
 *       {@code reference.conf} on the class path.
 *   <li>A URI {@code classpath:NAME} or {@code file:PATH} reads that file over the references.
 *   <li>Every setting under {@code layercache.default} and {@code layercache.caches.NAME} must be
 *       one the references define: a typo fails at startup with the setting's full path.
 * </ul>
 */
public final class ConfigFileReader {

  private static final String ROOT = "layercache";

  private ConfigFileReader() {}

  /** Reads the templates for a cache manager of {@code uri}. */
  public static CacheTemplates read(URI uri, ClassLoader classLoader) {
    Config reference = ConfigFactory.defaultReference(classLoader);
    Config config;
    try {
      config = load(uri, classLoader, reference);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot read the LayerCache configuration for " + uri + ": " + e.getMessage(), e);
    }
    return templates(config, reference, classLoader);
  }

  /** Builds templates from an already loaded configuration (for tests and embedding). */
  public static CacheTemplates templates(Config config, Config reference, ClassLoader classLoader) {
    Config referenceDefault = reference.getConfig(ROOT + ".default");
    Config root = config.getConfig(ROOT);
    checkKnown(root.root(), reference.getConfig(ROOT), ROOT);
    Config defaults = root.getConfig("default");
    checkKnown(defaults.root(), referenceDefault, ROOT + ".default");
    LayerCacheConfiguration<Object, Object> template = parseCache(defaults, ROOT + ".default", classLoader);

    Map<String, LayerCacheConfiguration<Object, Object>> caches = new LinkedHashMap<>();
    ConfigObject declared = root.getObject("caches");
    for (String name : declared.keySet()) {
      String path = ROOT + ".caches." + ConfigQuoting.quote(name);
      ConfigValue value = declared.get(name);
      if (value.valueType() != ConfigValueType.OBJECT) {
        throw new IllegalArgumentException(path + ": a cache is declared as an object, e.g. " + name + " { }");
      }
      Config section = ((ConfigObject) value).toConfig();
      checkKnown(section.root(), referenceDefault, path);
      caches.put(name, parseCache(section.withFallback(defaults), path, classLoader));
    }
    return new CacheTemplates(template, caches);
  }

  private static Config load(URI uri, ClassLoader classLoader, Config reference) {
    String scheme = uri.getScheme();
    ConfigParseOptions options = ConfigParseOptions.defaults().setClassLoader(classLoader).setAllowMissing(false);
    if ("classpath".equals(scheme)) {
      String resource = uri.getSchemeSpecificPart().replaceFirst("^/", "");
      return ConfigFactory.parseResources(classLoader, resource, options).withFallback(reference).resolve();
    }
    if ("file".equals(scheme) || "jar".equals(scheme)) {
      try {
        return ConfigFactory.parseURL(uri.toURL(), options).withFallback(reference).resolve();
      } catch (java.net.MalformedURLException e) {
        throw new IllegalArgumentException("Cannot read the LayerCache configuration at " + uri + ": " + e.getMessage(), e);
      }
    }
    return ConfigFactory.load(classLoader);
  }

  private static LayerCacheConfiguration<Object, Object> parseCache(Config section, String path, ClassLoader classLoader) {
    Settings s = new Settings(section, path);
    LayerCacheConfiguration<Object, Object> config = new LayerCacheConfiguration<>();
    readJCacheSettings(s, section, path, config, classLoader);
    readEntryAndResilience(section, path, config);
    readLoading(section, path, config);
    readLayers(s, section, path, config, classLoader);
    config.setBus(BusSettingsReader.read(section, path, classLoader));
    return config;
  }

  /** Types, store-by-value, read/write-through with their loader and writer, statistics, management, expiry. */
  private static void readJCacheSettings(Settings s, Config section, String path,
      LayerCacheConfiguration<Object, Object> config, ClassLoader classLoader) {
    @SuppressWarnings("unchecked")
    Class<Object> keyType = (Class<Object>) s.optionalClass("key-type", Object.class, classLoader);
    @SuppressWarnings("unchecked")
    Class<Object> valueType = (Class<Object>) s.optionalClass("value-type", Object.class, classLoader);
    config.setTypes(keyType == null ? Object.class : keyType, valueType == null ? Object.class : valueType);
    config.setStoreByValue(s.getBoolean("store-by-value"));
    config.setReadThrough(s.getBoolean("read-through"));
    config.setWriteThrough(s.getBoolean("write-through"));
    config.setStatisticsEnabled(s.getBoolean("statistics"));
    config.setManagementEnabled(s.getBoolean("management"));
    config.setExpiryPolicyFactory(expiry(new Settings(section.getConfig("expiry"), path + ".expiry"), classLoader));

    Class<? extends CacheLoader> loader = s.optionalClass("loader", CacheLoader.class, classLoader);
    if (loader != null) {
      config.setCacheLoaderFactory(classFactory(loader));
    }
    Class<? extends CacheWriter> writer = s.optionalClass("writer", CacheWriter.class, classLoader);
    if (writer != null) {
      config.setCacheWriterFactory(classFactory(writer));
    }
    if (config.isReadThrough() && loader == null) {
      throw new IllegalArgumentException(s.pathOf("read-through") + " = true needs " + s.pathOf("loader"));
    }
    if (config.isWriteThrough() && writer == null) {
      throw new IllegalArgumentException(s.pathOf("write-through") + " = true needs " + s.pathOf("writer"));
    }
  }

  /** Default entry options, degradation mode and circuit breaker. */
  private static void readEntryAndResilience(Config section, String path, LayerCacheConfiguration<Object, Object> config) {
    Settings entry = new Settings(section.getConfig("entry"), path + ".entry");
    EntryOptions options = entry.validated(() -> new EntryOptions(entry.optionalDuration("ttl"),
        java.util.Set.copyOf(entry.getStringList("tags"))));
    config.setDefaultEntryOptions(options);

    Settings resilience = new Settings(section.getConfig("resilience"), path + ".resilience");
    String mode = resilience.getString("mode");
    io.layercache.DegradationMode parsedMode;
    try {
      parsedMode = io.layercache.DegradationMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(resilience.pathOf("mode") + " must be strict or graceful, was '" + mode + "'");
    }
    Settings breaker = new Settings(section.getConfig("resilience.circuit-breaker"), path + ".resilience.circuit-breaker");
    Long threshold = breaker.optionalLong("failure-threshold");
    Duration breakDuration = breaker.optionalDuration("break-duration");
    Duration remoteSoftTimeout = resilience.optionalDuration("remote-soft-timeout");
    config.setResilience(resilience.validated(() -> new io.layercache.ResilienceSettings(parsedMode,
        threshold == null ? 0 : threshold.intValue(), breakDuration, remoteSoftTimeout)));
  }

  /** Fail-safe, negative caching, refresh, single-flight and tags: how misses and loads behave. */
  private static void readLoading(Config section, String path, LayerCacheConfiguration<Object, Object> config) {
    Settings failSafe = new Settings(section.getConfig("fail-safe"), path + ".fail-safe");
    boolean failSafeOn = failSafe.getBoolean("enabled");
    Duration maxStaleness = failSafe.optionalDuration("max-staleness");
    Duration throttle = failSafe.optionalDuration("throttle");
    Duration softTimeout = failSafe.optionalDuration("soft-timeout");
    Duration hardTimeout = failSafe.optionalDuration("hard-timeout");
    config.setFailSafe(failSafe.validated(() ->
        new io.layercache.FailSafeSettings(failSafeOn, maxStaleness, throttle, softTimeout, hardTimeout)));

    Settings negative = new Settings(section.getConfig("negative-caching"), path + ".negative-caching");
    Duration negativeTtl = negative.optionalDuration("ttl");
    config.setNegativeCaching(negative.validated(() -> new io.layercache.NegativeCachingSettings(negativeTtl)));

    Settings refresh = new Settings(section.getConfig("refresh"), path + ".refresh");
    Duration swr = refresh.optionalDuration("stale-while-revalidate");
    double ahead = refresh.getDouble("refresh-ahead");
    Duration refreshTimeout = refresh.optionalDuration("timeout");
    config.setRefresh(refresh.validated(() -> new io.layercache.RefreshSettings(swr, ahead,
        refreshTimeout == null ? io.layercache.RefreshSettings.DEFAULT_TIMEOUT : refreshTimeout)));

    Settings singleFlight = new Settings(section.getConfig("single-flight"), path + ".single-flight");
    boolean distributed = singleFlight.getBoolean("distributed");
    Duration lease = singleFlight.optionalDuration("lease");
    Duration wait = singleFlight.optionalDuration("wait");
    config.setSingleFlight(singleFlight.validated(() -> new io.layercache.SingleFlightSettings(distributed, lease, wait)));

    Settings tags = new Settings(section.getConfig("tags"), path + ".tags");
    Duration tagRefresh = tags.optionalDuration("refresh-interval");
    config.setTags(tags.validated(() -> new io.layercache.TagSettings(tagRefresh)));
  }

  /** The layers, each parsed by its factory (found through ServiceLoader). */
  private static void readLayers(Settings s, Config section, String path,
      LayerCacheConfiguration<Object, Object> config, ClassLoader classLoader) {
    List<String> types = s.getStringList("layers");
    if (types.isEmpty()) {
      throw new IllegalArgumentException(s.pathOf("layers") + " must name at least one layer, e.g. [memory]");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (String type : types) {
      if (!section.hasPath(type)) {
        throw new IllegalArgumentException(s.pathOf("layers") + ": no settings section '" + type
            + "'; " + explainMissingLayer(type, classLoader));
      }
      try {
        layers.add(LayerFactories.find(type, classLoader).parse(section.getConfig(type), path + "." + type, classLoader));
      } catch (ConfigException e) {
        throw new IllegalArgumentException(path + "." + type + ": " + e.getMessage(), e);
      }
    }
    s.validated(() -> config.setLayers(layers));
    s.validated(() -> config.setLayers(layers));
  }

  private static String explainMissingLayer(String type, ClassLoader classLoader) {
    try {
      LayerFactories.find(type, classLoader);
      return "add a '" + type + " { }' section";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static <T> Factory<T> classFactory(Class<?> type) {
    return (Factory<T>) FactoryBuilder.factoryOf((Class) type);
  }

  private static Factory<? extends ExpiryPolicy> expiry(Settings s, ClassLoader classLoader) {
    String policy = s.getString("policy");
    Duration duration = s.optionalDuration("duration");
    if (policy.equals("eternal")) {
      return EternalExpiryPolicy.factoryOf();
    }
    javax.cache.expiry.Duration jcache = null;
    if (duration != null) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(s.pathOf("duration") + " must be positive, was " + duration);
      }
      jcache = new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, duration.toMillis());
    }
    switch (policy) {
      case "created", "accessed", "modified", "touched" -> {
        if (jcache == null) {
          throw new IllegalArgumentException(s.pathOf("duration") + " is required with policy = " + policy);
        }
      }
      default -> {
        Class<? extends ExpiryPolicy> custom = s.optionalClass("policy", ExpiryPolicy.class, classLoader);
        return classFactory(custom);
      }
    }
    return switch (policy) {
      case "created" -> CreatedExpiryPolicy.factoryOf(jcache);
      case "accessed" -> AccessedExpiryPolicy.factoryOf(jcache);
      case "modified" -> ModifiedExpiryPolicy.factoryOf(jcache);
      default -> TouchedExpiryPolicy.factoryOf(jcache);
    };
  }

  /**
   * Fails on any key of {@code actual} that {@code known} does not define. A section the reference
   * declares empty ({@code registrations = {}}, {@code caches {}}) is a free-form map.
   */
  private static void checkKnown(ConfigObject actual, Config known, String path) {
    for (Map.Entry<String, ConfigValue> entry : actual.entrySet()) {
      String key = entry.getKey();
      String childPath = path + "." + ConfigQuoting.quote(key);
      if (path.equals(ROOT) && key.equals("caches")) {
        continue;
      }
      ConfigValue knownValue = known.root().get(key);
      if (knownValue == null) {
        throw new IllegalArgumentException(childPath + ": unknown setting; known settings here are "
            + known.root().keySet());
      }
      boolean freeForm = knownValue.valueType() == ConfigValueType.OBJECT && ((ConfigObject) knownValue).isEmpty();
      if (!freeForm && entry.getValue().valueType() == ConfigValueType.OBJECT
          && knownValue.valueType() == ConfigValueType.OBJECT) {
        checkKnown((ConfigObject) entry.getValue(), ((ConfigObject) knownValue).toConfig(), childPath);
      }
    }
  }
}
