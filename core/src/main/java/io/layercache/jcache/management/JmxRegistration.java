package io.layercache.jcache.management;

import java.lang.management.ManagementFactory;
import java.util.regex.Pattern;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans in the platform MBean server under the names JCache specifies:
 * {@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=<uri>,Cache=<name>}.
 */
public final class JmxRegistration {

  /** The two kinds of JCache MXBean. */
  public enum Kind {
    /** The configuration bean. */
    CONFIGURATION("CacheConfiguration"),
    /** The statistics bean. */
    STATISTICS("CacheStatistics");

    private final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  /**
   * What an {@code ObjectName} value may not hold unquoted: its separators, and the wildcards
   * {@code *} and {@code ?}, which would make the name a pattern that cannot be registered (a cache
   * named {@code a*[x]?} is legal in JCache). Each is replaced by a dot.
   */
  private static final Pattern UNSAFE = Pattern.compile("[,:=\n*?\"]");

  private JmxRegistration() {}

  /** Registers {@code bean}; registering an already registered name does nothing. */
  public static void register(String managerUri, String cacheName, Kind kind, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = objectName(managerUri, cacheName, kind);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException ignored) {
      // registered concurrently by the same cache: the bean is there, which is what we want
    } catch (Exception e) {
      throw new CacheException("Failed to register " + name, e);
    }
  }

  /** Unregisters the bean; an absent bean is not an error. */
  public static void unregister(String managerUri, String cacheName, Kind kind) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = objectName(managerUri, cacheName, kind);
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException ignored) {
      // unregistered concurrently: nothing left to do
    } catch (Exception e) {
      throw new CacheException("Failed to unregister " + name, e);
    }
  }

  static ObjectName objectName(String managerUri, String cacheName, Kind kind) {
    String name = "javax.cache:type=" + kind.type + ",CacheManager=" + sanitize(managerUri)
        + ",Cache=" + sanitize(cacheName);
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("Illegal MBean name " + name, e);
    }
  }

  private static String sanitize(String value) {
    return value == null ? "" : UNSAFE.matcher(value).replaceAll(".");
  }
}
