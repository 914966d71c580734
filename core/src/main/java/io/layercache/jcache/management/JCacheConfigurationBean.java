package io.layercache.jcache.management;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/**
 * The standard {@code CacheConfiguration} MXBean of one cache; reads the cache's current
 * configuration on every call so runtime changes (statistics, management) show.
 */
public final class JCacheConfigurationBean implements CacheMXBean {

  private final java.util.function.Supplier<CompleteConfiguration<?, ?>> configuration;

  /** A bean reading the configuration from {@code configuration}. */
  public JCacheConfigurationBean(java.util.function.Supplier<CompleteConfiguration<?, ?>> configuration) {
    this.configuration = configuration;
  }

  @Override
  public String getKeyType() {
    return configuration.get().getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return configuration.get().getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return configuration.get().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return configuration.get().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return configuration.get().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return configuration.get().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return configuration.get().isManagementEnabled();
  }
}
