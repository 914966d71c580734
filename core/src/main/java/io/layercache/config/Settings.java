package io.layercache.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed reads from one section of a configuration file, whose errors name the full path of
 * the setting ({@code layercache.caches.orders.memory.maximum-size: …}).
 */
public final class Settings {

  private final Config config;
  private final String path;

  /**
   * @param config the section
   * @param path   the section's path in the file, for messages
   */
  public Settings(Config config, String path) {
    this.config = config;
    this.path = path;
  }

  /** The section's path. */
  public String path() {
    return path;
  }

  /** The full path of a setting in this section. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** True when the setting is present and not null. */
  public boolean has(String key) {
    return config.hasPath(key);
  }

  /** A boolean setting. */
  public boolean getBoolean(String key) {
    return read(key, () -> config.getBoolean(key));
  }

  /** A number setting. */
  public double getDouble(String key) {
    return read(key, () -> config.getDouble(key));
  }

  /** A string setting. */
  public String getString(String key) {
    return read(key, () -> config.getString(key));
  }

  /** A string setting, or null when absent or null. */
  public String optionalString(String key) {
    return config.hasPath(key) ? read(key, () -> config.getString(key)) : null;
  }

  /** A list of strings. */
  public List<String> getStringList(String key) {
    return read(key, () -> config.getStringList(key));
  }

  /** A whole number, or null when absent or null. */
  public Long optionalLong(String key) {
    return config.hasPath(key) ? read(key, () -> config.getLong(key)) : null;
  }

  /**
   * A whole number that fits an {@code int}, or {@code whenNull} when absent or null.
   *
   * @throws IllegalArgumentException naming the setting when it is out of range
   */
  public int optionalInt(String key, int whenNull) {
    Long value = optionalLong(key);
    if (value == null) {
      return whenNull;
    }
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(pathOf(key) + " must be a whole number up to " + Integer.MAX_VALUE);
    }
    return value.intValue();
  }

  /**
   * A whole number that fits an {@code int}; required.
   *
   * @throws IllegalArgumentException naming the setting when it is absent, null or out of range
   */
  public int getInt(String key) {
    if (optionalLong(key) == null) {
      throw new IllegalArgumentException(pathOf(key) + " must be a whole number up to " + Integer.MAX_VALUE);
    }
    return optionalInt(key, 0);
  }

  /** A duration such as {@code 10s} or {@code 500ms}, or null when absent or null. */
  public Duration optionalDuration(String key) {
    return config.hasPath(key) ? read(key, () -> config.getDuration(key)) : null;
  }

  /** A class named by the setting, checked to be a {@code type}; null when absent. */
  public <T> Class<? extends T> optionalClass(String key, Class<T> type, ClassLoader classLoader) {
    String className = optionalString(key);
    if (className == null) {
      return null;
    }
    Class<?> loaded;
    try {
      loaded = Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(pathOf(key) + ": class " + className + " was not found", e);
    }
    if (!type.isAssignableFrom(loaded)) {
      throw new IllegalArgumentException(pathOf(key) + ": " + className + " is not a " + type.getName());
    }
    return loaded.asSubclass(type);
  }

  /** An instance of the class named by the setting, made with its no-argument constructor. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public <T> T optionalInstance(String key, Class type, ClassLoader classLoader) {
    Class<?> loaded = optionalClass(key, type, classLoader);
    if (loaded == null) {
      return null;
    }
    try {
      return (T) loaded.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(pathOf(key) + ": cannot instantiate " + loaded.getName()
          + " with a public no-argument constructor", e);
    }
  }

  /** Runs a constructor that validates, prefixing its message with this section's path. */
  public <T> T validated(Supplier<T> construction) {
    try {
      return construction.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  private <T> T read(String key, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (ConfigException e) {
      throw new IllegalArgumentException(pathOf(key) + ": " + e.getMessage(), e);
    }
  }
}
