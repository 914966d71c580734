package io.layercache.nats;

import com.typesafe.config.Config;
import io.layercache.bus.BusFactory;
import io.layercache.bus.BusListener;
import io.layercache.bus.BusSpec;
import io.layercache.bus.BusTransport;
import io.layercache.layer.SharedResources;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Bus type {@code nats-tap}, for tests: the NATS transport of the wrapped spec, recording every
 * message it published (accepted by the server) and every message it delivered to the hub, so a
 * test can count exactly which messages an instance never received.
 */
public final class TapBusFactory implements BusFactory {

  /** What one tapped transport saw. */
  static final class Tap {
    final List<ByteBuffer> published = new CopyOnWriteArrayList<>();
    final List<ByteBuffer> delivered = new CopyOnWriteArrayList<>();
    final List<String> interruptions = new CopyOnWriteArrayList<>();

    /** Messages published here from index {@code fromIndex} on that {@code receiver} never delivered. */
    long missingAt(Tap receiver, int fromIndex) {
      Set<ByteBuffer> seen = Set.copyOf(receiver.delivered);
      List<ByteBuffer> sent = List.copyOf(published); // a snapshot: heartbeats keep being added
      return sent.subList(fromIndex, sent.size()).stream().filter(m -> !seen.contains(m)).count();
    }

    /** A snapshot of the messages published here between two indexes. */
    List<ByteBuffer> published(int fromIndex, int toIndex) {
      return List.copyOf(published).subList(fromIndex, toIndex);
    }

    /** Deliveries of messages delivered before (redeliveries, duplicates). */
    long redelivered() {
      return delivered.size() - Set.copyOf(delivered).size();
    }
  }

  private static final Map<String, Tap> TAPS = new ConcurrentHashMap<>();

  /** The tap named {@code name}, made on first use. */
  static Tap tap(String name) {
    return TAPS.computeIfAbsent(name, n -> new Tap());
  }

  /** A NATS bus whose messages are recorded under {@code tap}. */
  record Spec(NatsBusSpec nats, String tap) implements BusSpec {
    @Override
    public String type() {
      return "nats-tap";
    }
  }

  @Override
  public String type() {
    return "nats-tap";
  }

  @Override
  public BusSpec parse(Config cache, String path, ClassLoader classLoader) {
    throw new UnsupportedOperationException("nats-tap is built in code only");
  }

  @Override
  public BusTransport create(BusSpec spec, SharedResources shared, ClassLoader classLoader) {
    Spec tapped = (Spec) spec;
    return new Tapped(new NatsBusFactory().create(tapped.nats(), shared, classLoader), tap(tapped.tap()));
  }

  private record Tapped(BusTransport inner, Tap tap) implements BusTransport {
    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public Delivery delivery() {
      return inner.delivery();
    }

    @Override
    public Health health() {
      return inner.health();
    }

    @Override
    public void publish(byte[] message) throws Exception {
      inner.publish(message);
      tap.published.add(ByteBuffer.wrap(message.clone()));
    }

    @Override
    public void subscribe(BusListener listener) {
      inner.subscribe(new BusListener() {
        @Override
        public void onMessage(byte[] message) {
          tap.delivered.add(ByteBuffer.wrap(message.clone()));
          listener.onMessage(message);
        }

        @Override
        public void onInterrupted(String reason) {
          tap.interruptions.add(reason);
          listener.onInterrupted(reason);
        }
      });
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
