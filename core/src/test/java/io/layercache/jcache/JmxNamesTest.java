package io.layercache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercache.CacheFixture;
import io.layercache.LayerCacheConfiguration;
import java.lang.management.ManagementFactory;
import javax.cache.Cache;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** A cache name JCache allows but an MBean name does not (wildcards, separators) still gets its MXBeans. */
class JmxNamesTest extends CacheFixture {

  @Test
  void aCacheNamedLikeAPatternRegistersItsStatisticsBean() throws Exception {
    Cache<String, String> cache = manager.createCache("a*[x]?,b=c", new LayerCacheConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(true).setManagementEnabled(true));
    cache.put("k", "v");

    assertThat(ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("javax.cache:type=CacheStatistics,Cache=a.[x]..b.c,*"), null)).hasSize(1);
    assertThat(ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("javax.cache:type=CacheConfiguration,Cache=a.[x]..b.c,*"), null)).hasSize(1);
    manager.destroyCache("a*[x]?,b=c");
    assertThat(ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("javax.cache:type=CacheStatistics,Cache=a.[x]..b.c,*"), null)).isEmpty();
  }
}
