package io.layercache.jcache;

import io.layercache.coordinator.CacheCore;
import io.layercache.jcache.management.JCacheConfigurationBean;
import io.layercache.jcache.management.JCacheStatistics;
import io.layercache.jcache.management.JmxRegistration;

/**
 * The management switches of one cache: the JCache statistics (their MXBean and their counting,
 * and with them the core's per-layer counters) and the configuration MXBean. The per-layer
 * counters also count while a metrics binder observes the cache ({@link #keepLayerCounters}).
 */
final class CacheManagement {

  private final String managerUri;
  private final String cacheName;
  private final JCacheStatistics statistics;
  private final CacheCore<?, ?> core;
  private final JCacheConfigurationBean configurationBean;
  private volatile boolean managementEnabled;
  /** Set by {@link #keepLayerCounters()}: layer counters count whatever the statistics setting. */
  private volatile boolean layerCountersKept;

  CacheManagement(String managerUri, String cacheName, JCacheStatistics statistics, CacheCore<?, ?> core,
      JCacheConfigurationBean configurationBean) {
    this.managerUri = managerUri;
    this.cacheName = cacheName;
    this.statistics = statistics;
    this.core = core;
    this.configurationBean = configurationBean;
  }

  /** Turns the statistics MXBean and counting on or off: JCache's counters and the per-layer ones. */
  synchronized void setStatisticsEnabled(boolean enabled) {
    if (enabled) {
      JmxRegistration.register(managerUri, cacheName, JmxRegistration.Kind.STATISTICS, statistics);
    } else {
      JmxRegistration.unregister(managerUri, cacheName, JmxRegistration.Kind.STATISTICS);
    }
    statistics.setEnabled(enabled);
    core.countLayerEvents(enabled || layerCountersKept);
  }

  /**
   * Keeps the per-layer counters counting from now on, whether statistics are enabled or not: for a
   * metrics binder, whose layer meters would otherwise stay at zero while JCache statistics are
   * off. The JCache statistics themselves are left as they are.
   */
  synchronized void keepLayerCounters() {
    layerCountersKept = true;
    core.countLayerEvents(true);
  }

  /** Turns the configuration MXBean on or off. */
  synchronized void setManagementEnabled(boolean enabled) {
    if (enabled) {
      JmxRegistration.register(managerUri, cacheName, JmxRegistration.Kind.CONFIGURATION, configurationBean);
    } else {
      JmxRegistration.unregister(managerUri, cacheName, JmxRegistration.Kind.CONFIGURATION);
    }
    managementEnabled = enabled;
  }

  boolean isManagementEnabled() {
    return managementEnabled;
  }
}
