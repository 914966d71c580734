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
 * Adds Spring's {@code NullValue} to every {@code codec.allowed-class-prefixes} list of the
 * default template and of the declared caches.
 *
 * <p>Why: Spring's cache abstraction stores a cached {@code null} as {@code NullValue.INSTANCE}.
 * LayerCache's codec decodes only the classes a deployment allows, so without this a
 * {@code @Cacheable} method returning {@code null} would fail to reach a Redis layer. The entry
 * names exactly that one class (an entry without a trailing dot admits one class and its nested
 * classes), not Spring's package.
 */
final class NullValueAdmission {

  /** The class name admitted. */
  static final String NULL_VALUE = "org.springframework.cache.support.NullValue";

  private NullValueAdmission() {}

  /** The configuration with {@link #NULL_VALUE} in every codec allow-list it holds. */
  static Config apply(Config merged) {
    List<List<String>> lists = new ArrayList<>();
    collect(merged.getObject(PropertyTree.ROOT), List.of(PropertyTree.ROOT), lists);
    Config result = merged;
    for (List<String> path : lists) {
      String joined = ConfigUtil.joinPath(path);
      List<String> prefixes = new ArrayList<>(merged.getStringList(joined));
      if (!prefixes.contains(NULL_VALUE)) {
        prefixes.add(NULL_VALUE);
        result = result.withValue(joined, ConfigValueFactory.fromIterable(prefixes,
            "Spring's NullValue, admitted by the LayerCache starter"));
      }
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
