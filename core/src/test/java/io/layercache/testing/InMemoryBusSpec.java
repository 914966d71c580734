package io.layercache.testing;

import io.layercache.bus.BusSpec;
import java.util.Objects;

/**
 * An invalidation bus inside this JVM, for tests: instances whose caches name the same channel
 * exchange messages through one {@link InMemoryBus}.
 *
 * @param channel selects the {@link InMemoryBus}
 */
public record InMemoryBusSpec(String channel) implements BusSpec {

  /** The bus type name. */
  public static final String TYPE = "in-memory";

  /** Validates the spec. */
  public InMemoryBusSpec {
    Objects.requireNonNull(channel, "channel");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
