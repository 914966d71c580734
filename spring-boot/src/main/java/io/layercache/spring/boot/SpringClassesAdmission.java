package io.layercache.spring.boot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds the two classes Spring's cache abstraction stores itself to every
 * {@code codec.allowed-class-prefixes} list of the default template and of the declared caches:
 * {@code NullValue} (a cached {@code null}) and {@code SimpleKey} (the key of a method with
 * several parameters, or none).
 *
 * <p>Why: LayerCache's codec decodes only the classes a deployment allows, so without them a
 * {@code @Cacheable} method returning {@code null}, or taking two parameters, could not use a
 * Redis layer. Each entry names exactly one class (an entry without a trailing dot admits that
 * class and its nested classes), never Spring's packages.
 */
final class SpringClassesAdmission {

  /** Spring's stand-in for a cached {@code null}. */
  static final String NULL_VALUE = "org.springframework.cache.support.NullValue";
  /** Spring's key of a method with several parameters. */
  static final String SIMPLE_KEY = "org.springframework.cache.interceptor.SimpleKey";

  private static final List<String> ADMITTED = List.of(NULL_VALUE, SIMPLE_KEY);

  private SpringClassesAdmission() {}

  /** The configuration with Spring's classes in every codec allow-list it holds. */
  static Config apply(Config merged) {
    List<List<String>> lists = new ArrayList<>();
    collect(merged.getObject(PropertyTree.ROOT), List.of(PropertyTree.ROOT), lists);
    Config result = merged;
    for (List<String> path : lists) {
      String joined = ConfigUtil.joinPath(path);
      List<String> prefixes = new ArrayList<>(merged.getStringList(joined));
      ADMITTED.stream().filter(name -> !prefixes.contains(name)).forEach(prefixes::add);
      result = result.withValue(joined, ConfigValueFactory.fromIterable(prefixes,
          "Spring's NullValue and SimpleKey, admitted by the LayerCache starter"));
    }
    return result;
  }

  private static void collect(ConfigObject object, List<String> path, List<List<String>> lists) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      List<String> childPath = new ArrayList<>(path);
      childPath.add(entry.getKey());
      ConfigValue value = entry.getValue();
      if (value.valueType() == ConfigValueType.OBJECT) {
        collect((ConfigObject) value, childPath, lists);
      } else if (value.valueType() == ConfigValueType.LIST && entry.getKey().equals("allowed-class-prefixes")
          && path.get(path.size() - 1).equals("codec")) {
        lists.add(childPath);
      }
    }
  }
}
