package io.layercache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheResult;

/** Names its cache once, in {@code @CacheDefaults}. */
@ApplicationScoped
@CacheDefaults(cacheName = "directory")
public class Directory {

  private final AtomicInteger lookups = new AtomicInteger();

  @CacheResult
  public String lookup(String name) {
    lookups.incrementAndGet();
    return name.toUpperCase(java.util.Locale.ROOT);
  }

  /** Calls that reached {@link #lookup} (a method: fields of a client proxy are not the bean's). */
  public int lookups() {
    return lookups.get();
  }
}
