package io.layercache.testing;

import com.typesafe.config.Config;
import io.layercache.bus.BusFactory;
import io.layercache.bus.BusSpec;
import io.layercache.bus.BusTransport;
import io.layercache.layer.SharedResources;

/** Builds {@link InMemoryBus} transports; bus type {@code in-memory} ({@code bus.in-memory.channel}). */
public final class InMemoryBusFactory implements BusFactory {

  @Override
  public String type() {
    return InMemoryBusSpec.TYPE;
  }

  @Override
  public BusSpec parse(Config cache, String path, ClassLoader classLoader) {
    return new InMemoryBusSpec(cache.hasPath("bus.in-memory.channel") ? cache.getString("bus.in-memory.channel") : "test");
  }

  @Override
  public BusTransport create(BusSpec spec, SharedResources shared, ClassLoader classLoader) {
    return InMemoryBus.channel(((InMemoryBusSpec) spec).channel()).transport();
  }
}
