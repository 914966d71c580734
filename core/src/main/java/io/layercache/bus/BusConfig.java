package io.layercache.bus;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cache's invalidation bus: which transport (none for a cache local to its instance) and the
 * settings every transport shares.
 *
 * <pre>{@code
 * config.setBus(BusConfig.of(new RedisBusSpec(connection, "layercache:invalidations"), BusSettings.defaults()));
 * }</pre>
 *
 * @param transport the transport's settings, or null for no bus
 * @param settings  identity, priming, checks, retry, breaker, gap repair
 */
public record BusConfig(@Nullable BusSpec transport, BusSettings settings) {

  /** Validates the configuration. */
  public BusConfig {
    Objects.requireNonNull(settings, "settings");
  }

  /** No bus: the cache's in-process layers learn nothing of other instances' changes. */
  public static BusConfig none() {
    return new BusConfig(null, BusSettings.defaults("none"));
  }

  /** A bus on {@code transport}. */
  public static BusConfig of(BusSpec transport, BusSettings settings) {
    return new BusConfig(Objects.requireNonNull(transport, "transport"), settings);
  }

  /** True when the cache has a bus. */
  public boolean enabled() {
    return transport != null;
  }
}
