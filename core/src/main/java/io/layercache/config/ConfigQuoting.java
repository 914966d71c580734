package io.layercache.config;

import com.typesafe.config.ConfigUtil;

/** Quotes a single key for use in a HOCON path, so cache names with dots stay one key. */
final class ConfigQuoting {

  private ConfigQuoting() {}

  static String quote(String key) {
    return ConfigUtil.joinPath(key);
  }
}
