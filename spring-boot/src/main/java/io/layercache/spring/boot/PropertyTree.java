package io.layercache.spring.boot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code layercache.*} properties of a Spring environment, as the HOCON tree of LayerCache's
 * configuration file ({@code layercache.default.*}, {@code layercache.caches.NAME.*}).
 *
 * <ul>
 *   <li>Every property source counts, with Spring's precedence (a test's property beats
 *       {@code application.properties}); Spring resolves placeholders first.
 *   <li>Except the operating system's environment: its names lose their dashes
 *       ({@code LAYERCACHE_DEFAULT_MEMORY_MAXIMUMSIZE}), and variables such as
 *       {@code LAYERCACHE_BUS_SECRET} are meant for the HOCON file's {@code ${?...}}
 *       substitutions, not as properties. Reach them through placeholders instead.
 *   <li>A setting the reference configuration holds as a list takes indexed properties
 *       ({@code layers[0]=memory}, YAML lists) or one comma-separated value
 *       ({@code layers=memory,redis}).
 *   <li>A cache name keeps its case; a name with dots goes in brackets:
 *       {@code layercache.caches[orders.v2].memory.maximum-size}.
 *   <li>A name outside {@code layercache.config}, {@code layercache.default.*} and
 *       {@code layercache.caches.*} fails here; unknown settings below them fail where the whole
 *       configuration is checked against the references ({@link LayerCacheSettings}).
 * </ul>
 */
final class PropertyTree {

  /** The root of every LayerCache property and HOCON setting. */
  static final String ROOT = "layercache";
  /** The property naming a HOCON file ({@code layercache.config}). */
  static final String CONFIG_FILE = ROOT + ".config";

  private static final ConfigurationPropertyName ROOT_NAME = ConfigurationPropertyName.of(ROOT);
  private static final Set<String> ROOT_KEYS = Set.of("config", "default", "caches");

  private final Map<ConfigurationPropertyName, ConfigurationProperty> properties;
  private final Binder binder;

  private PropertyTree(Map<ConfigurationPropertyName, ConfigurationProperty> properties, Binder binder) {
    this.properties = properties;
    this.binder = binder;
  }

  /**
   * Collects the {@code layercache.*} properties of an environment.
   *
   * @throws LayerCacheConfigurationException naming a property outside the known roots
   */
  static PropertyTree read(Environment environment) {
    Map<ConfigurationPropertyName, ConfigurationProperty> found = new LinkedHashMap<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
        continue;
      }
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.filter(ROOT_NAME::isAncestorOf).stream().forEach(name -> {
          ConfigurationProperty property = source.getConfigurationProperty(name);
          if (property != null) {
            found.putIfAbsent(name, property);
          }
        });
      }
    }
    PropertyTree tree = new PropertyTree(found, Binder.get(environment));
    found.keySet().forEach(tree::checkRoot);
    return tree;
  }

  /** The value of {@code layercache.config}, or null when it is not set. */
  String configLocation() {
    ConfigurationPropertyName name = ConfigurationPropertyName.of(CONFIG_FILE);
    return properties.containsKey(name) ? value(name) : null;
  }

  /**
   * The {@code layercache.default} and {@code layercache.caches} properties as a configuration
   * rooted at {@code layercache}.
   *
   * @param reference the merged {@code reference.conf} files, which say which settings are lists
   */
  Config toConfig(Config reference) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (ConfigurationPropertyName name : properties.keySet()) {
      if (!name.toString().equals(CONFIG_FILE)) {
        insert(root, name);
      }
    }
    ConfigObject known = reference.getObject(ROOT);
    Map<String, Object> converted = new LinkedHashMap<>();
    root.forEach((key, node) -> converted.put(key, convert(node, List.of(key), known)));
    return ConfigFactory.empty().withValue(ROOT, ConfigValueFactory.fromMap(converted, "Spring properties"));
  }

  /**
   * Where the property behind a setting's HOCON path was set, for messages; empty when no
   * property sets it (the setting comes from a file).
   */
  String describe(String hoconPath) {
    for (Map.Entry<ConfigurationPropertyName, ConfigurationProperty> entry : properties.entrySet()) {
      String path = ConfigUtil.joinPath(keys(entry.getKey()));
      if (path.equals(hoconPath) || path.startsWith(hoconPath + ".")) {
        Object origin = entry.getValue().getOrigin();
        return " (property '" + entry.getKey() + "'" + (origin == null ? "" : " from " + origin) + ")";
      }
    }
    return "";
  }

  private void checkRoot(ConfigurationPropertyName name) {
    String first = name.getNumberOfElements() > 1 ? name.getElement(1, Form.DASHED) : "";
    boolean known = ROOT_KEYS.contains(first)
        && (!first.equals("config") || name.getNumberOfElements() == 2);
    if (!known) {
      Object origin = properties.get(name).getOrigin();
      throw new LayerCacheConfigurationException("Unknown LayerCache property '" + name + "'"
          + (origin == null ? "" : " (from " + origin + ")")
          + "; LayerCache's properties are " + CONFIG_FILE + ", " + ROOT + ".default.* and "
          + ROOT + ".caches.<name>.*");
    }
  }

  /** The HOCON keys of a property name, from {@code layercache} on. */
  private static List<String> keys(ConfigurationPropertyName name) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      boolean cacheName = i == 2 && name.getElement(1, Form.DASHED).equals("caches");
      keys.add(name.getElement(i, cacheName ? Form.ORIGINAL : Form.DASHED));
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private void insert(Map<String, Object> root, ConfigurationPropertyName name) {
    List<String> keys = keys(name).subList(1, name.getNumberOfElements());
    Map<String, Object> node = root;
    for (int i = 0; i < keys.size() - 1; i++) {
      Object child = node.computeIfAbsent(keys.get(i), k -> new LinkedHashMap<String, Object>());
      if (!(child instanceof Map)) {
        throw new LayerCacheConfigurationException("LayerCache property '" + name + "' is set both as a "
            + "value and with sub-properties; keep one form");
      }
      node = (Map<String, Object>) child;
    }
    Object previous = node.putIfAbsent(keys.get(keys.size() - 1), new Leaf(name, value(name)));
    if (previous != null) {
      throw new LayerCacheConfigurationException("LayerCache property '" + name + "' is set both as a "
          + "value and with sub-properties; keep one form");
    }
  }

  private String value(ConfigurationPropertyName name) {
    return binder.bind(name, Bindable.of(String.class)).orElse("");
  }

  /** Converts a node to a HOCON value, shaped by the reference setting at the same place. */
  @SuppressWarnings("unchecked")
  private static Object convert(Object node, List<String> path, ConfigObject known) {
    ConfigValueType type = referenceType(path, known);
    if (node instanceof Leaf leaf) {
      return leaf.toValue(type);
    }
    Map<String, Object> children = (Map<String, Object>) node;
    if (type == ConfigValueType.LIST) {
      return indexedList(children, path);
    }
    Map<String, Object> converted = new LinkedHashMap<>();
    children.forEach((key, child) -> converted.put(key, convert(child, append(path, key), known)));
    return ConfigValueFactory.fromMap(converted, "Spring properties");
  }

  private static ConfigValue indexedList(Map<String, Object> children, List<String> path) {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      Object item = children.get(String.valueOf(i));
      if (!(item instanceof Leaf leaf)) {
        throw new LayerCacheConfigurationException(ROOT + "." + String.join(".", path) + " is a list: set it "
            + "as " + String.join(".", path) + "[0], [1], ... without gaps, or as one comma-separated value");
      }
      items.add(leaf.value());
    }
    return ConfigValueFactory.fromIterable(items, "Spring properties under " + ROOT + "." + String.join(".", path));
  }

  /** The type of the reference setting at a path (a cache's settings are the default's). */
  private static ConfigValueType referenceType(List<String> path, ConfigObject known) {
    List<String> referencePath = path;
    if (path.size() >= 2 && path.get(0).equals("caches")) {
      referencePath = new ArrayList<>(List.of("default"));
      referencePath.addAll(path.subList(2, path.size()));
    }
    ConfigValue value = known;
    for (String key : referencePath) {
      if (!(value instanceof ConfigObject object) || !object.containsKey(key)) {
        return null;
      }
      value = object.get(key);
    }
    return value.valueType();
  }

  private static List<String> append(List<String> path, String key) {
    List<String> result = new ArrayList<>(path);
    result.add(key);
    return result;
  }

  /** One property's value and name. */
  private record Leaf(ConfigurationPropertyName name, String value) {

    ConfigValue toValue(ConfigValueType type) {
      String origin = "Spring property " + name;
      if (type == ConfigValueType.LIST) {
        List<String> items = value.isBlank() ? List.of()
            : Arrays.stream(value.split(",")).map(String::trim).toList();
        return ConfigValueFactory.fromIterable(items, origin);
      }
      if (value.isEmpty() && type != ConfigValueType.STRING) {
        return ConfigValueFactory.fromAnyRef(null, origin);
      }
      return ConfigValueFactory.fromAnyRef(value, origin);
    }
  }
}
