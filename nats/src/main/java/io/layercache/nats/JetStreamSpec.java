package io.layercache.nats;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The JetStream side of the NATS bus ({@code bus.nats.mode = jetstream}): the stream that keeps
 * the messages and this instance's durable consumer, which resumes from its last
 * acknowledgement after a disconnection, a server restart or a restart of the instance.
 *
 * @param stream         the stream's name; every instance of the deployment shares it
 * @param durableName    this instance's durable consumer: unique per instance (two instances
 *                       under one name would split the messages between them), stable across
 *                       its restarts
 * @param storage        where the server keeps the stream: {@code FILE} survives a server
 *                       restart, {@code MEMORY} does not
 * @param maxAge         messages older than this are removed from the stream; receivers refuse
 *                       messages older than {@code bus.dedupe.ttl} anyway
 * @param maxMsgs        the most messages the stream keeps (the oldest go first); -1: no limit
 * @param replicas       copies of the stream in a JetStream cluster (1 on a single server)
 * @param ackWait        how long the server waits for this instance's acknowledgement before
 *                       delivering a message again
 * @param maxDeliver     how often a message is delivered before the server gives up on it (a
 *                       poison message): counted and logged
 * @param ensureStream   create the stream when it is missing (false: provisioned by operations)
 * @param ensureConsumer create (or update) this instance's consumer when it is missing
 */
public record JetStreamSpec(String stream, String durableName, Storage storage, Duration maxAge, long maxMsgs,
    int replicas, Duration ackWait, int maxDeliver, boolean ensureStream, boolean ensureConsumer) {

  /** The default stream name. */
  public static final String DEFAULT_STREAM = "CACHE_INVALIDATIONS";

  /** The default {@code max-age}: the default replay window ({@code bus.dedupe.ttl}). */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  /** Stream and consumer names: no dots, wildcards, spaces or path separators. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /** Where the server keeps the stream. */
  public enum Storage {
    /** On disk: survives a server restart. */
    FILE,
    /** In memory: faster, lost when the server restarts. */
    MEMORY;

    /** Parses {@code bus.nats.jetstream.storage}. */
    static Storage parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bus.nats.jetstream.storage must be file or memory, was '" + value + "'");
      }
    }
  }

  /** Validates the settings; messages name the setting. */
  public JetStreamSpec {
    if (durableName == null || durableName.isBlank()) {
      throw new IllegalArgumentException("bus.nats.jetstream.durable-name is required with bus.nats.mode = jetstream "
          + "(unique per instance and stable across its restarts, e.g. ${?INSTANCE_ID})");
    }
    checkName(stream, "bus.nats.jetstream.stream");
    checkName(durableName, "bus.nats.jetstream.durable-name");
    Objects.requireNonNull(storage, "bus.nats.jetstream.storage");
    NatsConnectionSpec.requirePositive(maxAge, "bus.nats.jetstream.max-age");
    if (maxMsgs != -1 && maxMsgs < 1) {
      throw new IllegalArgumentException("bus.nats.jetstream.max-msgs must be -1 (no limit) or positive, was " + maxMsgs);
    }
    if (replicas < 1 || replicas > 5) {
      throw new IllegalArgumentException("bus.nats.jetstream.replicas must be within 1 and 5, was " + replicas);
    }
    NatsConnectionSpec.requirePositive(ackWait, "bus.nats.jetstream.ack-wait");
    if (maxDeliver < 1) {
      throw new IllegalArgumentException("bus.nats.jetstream.max-deliver must be >= 1, was " + maxDeliver
          + " (a message that keeps failing must stop being delivered)");
    }
  }

  /** This instance's consumer on the default stream, with the defaults. */
  public static JetStreamSpec of(String durableName) {
    return new JetStreamSpec(DEFAULT_STREAM, durableName, Storage.FILE, DEFAULT_MAX_AGE, -1, 1, Duration.ofSeconds(30),
        10, true, true);
  }

  /** The same settings on another stream. */
  public JetStreamSpec withStream(String newStream) {
    return new JetStreamSpec(newStream, durableName, storage, maxAge, maxMsgs, replicas, ackWait, maxDeliver,
        ensureStream, ensureConsumer);
  }

  /** The same settings under another durable consumer name. */
  public JetStreamSpec withDurableName(String newDurableName) {
    return new JetStreamSpec(stream, newDurableName, storage, maxAge, maxMsgs, replicas, ackWait, maxDeliver,
        ensureStream, ensureConsumer);
  }

  /** The same settings with other stream limits. */
  public JetStreamSpec withStorage(Storage newStorage, Duration newMaxAge, long newMaxMsgs, int newReplicas) {
    return new JetStreamSpec(stream, durableName, newStorage, newMaxAge, newMaxMsgs, newReplicas, ackWait, maxDeliver,
        ensureStream, ensureConsumer);
  }

  /** The same settings with other redelivery settings. */
  public JetStreamSpec withRedelivery(Duration newAckWait, int newMaxDeliver) {
    return new JetStreamSpec(stream, durableName, storage, maxAge, maxMsgs, replicas, newAckWait, newMaxDeliver,
        ensureStream, ensureConsumer);
  }

  /** The same settings, creating the stream and the consumer when missing (or not). */
  public JetStreamSpec withEnsure(boolean newEnsureStream, boolean newEnsureConsumer) {
    return new JetStreamSpec(stream, durableName, storage, maxAge, maxMsgs, replicas, ackWait, maxDeliver,
        newEnsureStream, newEnsureConsumer);
  }

  private static void checkName(String name, String setting) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(setting + " must match [A-Za-z0-9_-]{1,128}, was '" + name + "'");
    }
  }
}
