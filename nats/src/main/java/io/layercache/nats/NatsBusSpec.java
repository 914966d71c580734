package io.layercache.nats;

import io.layercache.bus.BusSpec;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The NATS transport of the invalidation bus ({@code bus.type = nats}).
 *
 * <pre>{@code
 * // core NATS: at most once, nothing stored (an instance repairs its memory after a reconnect)
 * NatsBusSpec.core(NatsConnectionSpec.of("nats://nats.internal:4222"));
 * // JetStream: messages kept for a disconnected instance and replayed from its last acknowledgement
 * NatsBusSpec.jetStream(NatsConnectionSpec.of("nats://nats.internal:4222"), JetStreamSpec.of(instanceId));
 * }</pre>
 *
 * @param mode           core NATS or JetStream
 * @param connection     the server, or the application's connection
 * @param subject        the subject every instance publishes to and subscribes on
 * @param requestTimeout the longest wait for the server to confirm a message (core: a PING after
 *                       it; JetStream: its acknowledgement) or to answer a JetStream request
 * @param jetStream      the stream and consumer (JetStream mode), null in core mode
 */
public record NatsBusSpec(Mode mode, NatsConnectionSpec connection, String subject, Duration requestTimeout,
    @Nullable JetStreamSpec jetStream) implements BusSpec {

  /** The type name, as in {@code bus.type}. */
  public static final String TYPE = "nats";

  /** The default subject. */
  public static final String DEFAULT_SUBJECT = "cache.invalidations";

  /** The default {@code request-timeout}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** Dot-separated tokens without wildcards or white space. */
  private static final Pattern SUBJECT = Pattern.compile("[^.*>\\s]+(\\.[^.*>\\s]+)*");

  /** What the server does with a message nobody is connected to receive. */
  public enum Mode {
    /** Core NATS: at most once; a disconnected instance repairs its memory layers after reconnecting. */
    CORE,
    /** JetStream: kept in a stream, replayed to a disconnected instance from its last acknowledgement. */
    JETSTREAM;

    /** Parses {@code bus.nats.mode}. */
    static Mode parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bus.nats.mode must be core or jetstream, was '" + value + "'");
      }
    }
  }

  /** Validates the spec; messages name the setting. */
  public NatsBusSpec {
    Objects.requireNonNull(mode, "bus.nats.mode");
    Objects.requireNonNull(connection, "bus.nats connection");
    if (subject == null || subject.length() > 256 || !SUBJECT.matcher(subject).matches()) {
      throw new IllegalArgumentException("bus.nats.subject must be a subject of dot-separated tokens without "
          + "wildcards or spaces, at most 256 characters, was '" + subject + "'");
    }
    NatsConnectionSpec.requirePositive(requestTimeout, "bus.nats.request-timeout");
    if (mode == Mode.JETSTREAM && jetStream == null) {
      throw new IllegalArgumentException("bus.nats.jetstream.durable-name is required with bus.nats.mode = jetstream");
    }
    if (mode == Mode.CORE && jetStream != null) {
      throw new IllegalArgumentException("bus.nats.jetstream applies to bus.nats.mode = jetstream only");
    }
  }

  /** Core NATS on the default subject. */
  public static NatsBusSpec core(NatsConnectionSpec connection) {
    return new NatsBusSpec(Mode.CORE, connection, DEFAULT_SUBJECT, DEFAULT_REQUEST_TIMEOUT, null);
  }

  /** JetStream on the default subject. */
  public static NatsBusSpec jetStream(NatsConnectionSpec connection, JetStreamSpec jetStream) {
    return new NatsBusSpec(Mode.JETSTREAM, connection, DEFAULT_SUBJECT, DEFAULT_REQUEST_TIMEOUT,
        Objects.requireNonNull(jetStream, "jetStream"));
  }

  /** The same bus on another subject. */
  public NatsBusSpec withSubject(String newSubject) {
    return new NatsBusSpec(mode, connection, newSubject, requestTimeout, jetStream);
  }

  /** The same bus with another request timeout. */
  public NatsBusSpec withRequestTimeout(Duration newRequestTimeout) {
    return new NatsBusSpec(mode, connection, subject, newRequestTimeout, jetStream);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
