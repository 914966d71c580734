package io.layercache.nats;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.layercache.bus.BusFactory;
import io.layercache.bus.BusSettings;
import io.layercache.bus.BusSpec;
import io.layercache.bus.BusTransport;
import io.layercache.config.Settings;
import io.layercache.layer.SharedResources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the NATS transport of the invalidation bus; found by core through
 * {@link java.util.ServiceLoader} as bus type {@code nats}. Settings: {@code bus.nats} of the
 * cache's section (see this module's {@code reference.conf}).
 */
public final class NatsBusFactory implements BusFactory {

  @Override
  public String type() {
    return NatsBusSpec.TYPE;
  }

  @Override
  public BusSpec parse(Config cache, String path, ClassLoader classLoader) {
    Config section = cache.getConfig("bus.nats");
    Settings nats = new Settings(section, path + ".bus.nats");
    NatsBusSpec.Mode mode = nats.validated(() -> NatsBusSpec.Mode.parse(nats.getString("mode")));
    NatsConnectionSpec connection = connection(nats, section, cache);
    String subject = nats.getString("subject");
    Duration requestTimeout = nats.optionalDuration("request-timeout");
    JetStreamSpec jetStream = mode == NatsBusSpec.Mode.JETSTREAM ? jetStream(nats, section, cache) : null;
    return nats.validated(() -> new NatsBusSpec(mode, connection, subject, requestTimeout, jetStream));
  }

  private static NatsConnectionSpec connection(Settings nats, Config section, Config cache) {
    List<String> servers = section.hasPath("servers") && section.getValue("servers").valueType() == ConfigValueType.LIST
        ? nats.getStringList("servers")
        : Arrays.stream(nats.getString("servers").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    String name = nats.optionalString("connection-name");
    if (name == null) {
      String source = cache.hasPath("bus.source") ? cache.getString("bus.source") : BusSettings.defaultSource();
      name = "layercache " + source;
    }
    String connectionName = name;
    return nats.validated(() -> new NatsConnectionSpec(servers, connectionName, nats.optionalString("token"),
        nats.optionalString("username"), nats.optionalString("password"), nats.optionalDuration("connect-timeout"),
        nats.optionalDuration("reconnect-wait"), null));
  }

  private static JetStreamSpec jetStream(Settings nats, Config section, Config cache) {
    Settings js = new Settings(section.getConfig("jetstream"), nats.pathOf("jetstream"));
    Duration maxAge = js.optionalDuration("max-age");
    if (maxAge == null) {
      maxAge = cache.getDuration("bus.dedupe.ttl"); // older messages are refused as replays anyway
    }
    Duration age = maxAge;
    String storage = js.getString("storage");
    long maxMsgs = js.optionalLong("max-msgs") == null ? -1 : js.optionalLong("max-msgs");
    return js.validated(() -> new JetStreamSpec(js.getString("stream"), js.optionalString("durable-name"),
        JetStreamSpec.Storage.parse(storage), age, maxMsgs, js.getInt("replicas"), js.optionalDuration("ack-wait"),
        js.getInt("max-deliver"), js.getBoolean("ensure-stream"), js.getBoolean("ensure-consumer")));
  }

  @Override
  public BusTransport create(BusSpec spec, SharedResources shared, ClassLoader classLoader) {
    NatsBusSpec nats = (NatsBusSpec) spec;
    return nats.mode() == NatsBusSpec.Mode.CORE
        ? new NatsCoreTransport(nats.connection(), nats.subject(), nats.requestTimeout())
        : new NatsJetStreamTransport(nats);
  }
}
