package io.layercache.spring.boot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.layercache.LayerCacheConfiguration;
import io.layercache.config.CacheTemplates;
import io.layercache.config.ConfigFileReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * LayerCache's configuration in a Spring application: the {@code layercache.*} properties over the
 * HOCON file {@code layercache.config} names (if any) over every {@code reference.conf} on the
 * class path, read and validated once, when the application context starts.
 *
 * <ul>
 *   <li>Properties win over the file, the file over the references; the merged tree is checked
 *       exactly like a configuration file read by the JCache provider, so every extra (layers,
 *       Redis, fail-safe, stale-while-revalidate, single-flight, tags, bus) is reachable.
 *   <li>An unknown or malformed setting throws {@link LayerCacheConfigurationException} naming it
 *       (and the property that set it): the application does not start.
 *   <li>Spring's {@code NullValue} (a cached {@code null}) and {@code SimpleKey} are admitted to
 *       every codec allow-list, so they survive a Redis layer; see {@link SpringClassesAdmission}.
 * </ul>
 */
public final class LayerCacheSettings {

  private final CacheTemplates templates;

  private LayerCacheSettings(CacheTemplates templates) {
    this.templates = templates;
  }

  /**
   * Reads the settings of an application.
   *
   * @throws LayerCacheConfigurationException naming the first bad property or setting
   */
  public static LayerCacheSettings load(Environment environment, ResourceLoader resources) {
    ClassLoader classLoader = resources.getClassLoader();
    Config reference = ConfigFactory.defaultReference(classLoader);
    PropertyTree properties = PropertyTree.read(environment);
    String location = properties.configLocation();
    Config file = location == null || location.isBlank() ? ConfigFactory.empty() : readFile(location, resources);
    try {
      Config merged = properties.toConfig(reference).withFallback(file).withFallback(reference).resolve();
      Config admitted = SpringClassesAdmission.apply(merged);
      return new LayerCacheSettings(ConfigFileReader.templates(admitted, reference, classLoader));
    } catch (ConfigException | IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      String described = colon < 0 ? "" : properties.describe(message.substring(0, colon));
      throw new LayerCacheConfigurationException("Invalid LayerCache configuration: " + message + described
          + (location == null ? "" : " [file " + PropertyTree.CONFIG_FILE + " = " + location + "]"), e);
    }
  }

  /** The {@code layercache.default} template: undeclared caches are made from it. */
  public LayerCacheConfiguration<Object, Object> defaults() {
    return templates.defaults();
  }

  /** The caches declared under {@code layercache.caches}, by name. */
  public Map<String, LayerCacheConfiguration<Object, Object>> declaredCaches() {
    return templates.caches();
  }

  /** The templates a cache manager opens with: the default template and no declared caches. */
  CacheTemplates managerTemplates() {
    return new CacheTemplates(templates.defaults(), Map.of());
  }

  private static Config readFile(String location, ResourceLoader resources) {
    Resource resource = resources.getResource(location);
    if (!resource.exists()) {
      throw new LayerCacheConfigurationException(PropertyTree.CONFIG_FILE + " = " + location
          + ": no such file (" + resource.getDescription() + ")");
    }
    ConfigParseOptions options = ConfigParseOptions.defaults()
        .setClassLoader(resources.getClassLoader())
        .setAllowMissing(false);
    try {
      return parse(resource, options);
    } catch (IOException | ConfigException e) {
      throw new LayerCacheConfigurationException(PropertyTree.CONFIG_FILE + " = " + location + ": cannot read "
          + resource.getDescription() + ": " + e.getMessage(), e);
    }
  }

  /** Parses by URL where the resource has one, so the file's relative includes work. */
  private static Config parse(Resource resource, ConfigParseOptions options) throws IOException {
    java.net.URL url;
    try {
      url = resource.getURL();
    } catch (IOException noUrl) {
      try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
        return ConfigFactory.parseReader(reader, options.setOriginDescription(resource.getDescription()));
      }
    }
    return ConfigFactory.parseURL(url, options);
  }
}
