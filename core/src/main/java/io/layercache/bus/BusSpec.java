package io.layercache.bus;

/**
 * A transport's own settings (its connection, channel, durability), built by its
 * {@link BusFactory} from the configuration file or by the application in code.
 * Implementations are immutable values with {@code equals}: caches of one cache manager whose
 * specs and {@link BusSettings} are equal share one transport and one hub.
 */
public interface BusSpec {

  /** The transport type, as in {@code bus.type}: {@code redis}, {@code nats}, {@code rabbitmq}. */
  String type();
}
