package io.layercache.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the stream and this instance's durable consumer exist, as {@code ensure-stream} and
 * {@code ensure-consumer} allow, and says when either had to be created: after the first time,
 * a creation means what the server kept is gone (a server restart with memory storage, a
 * deleted stream or consumer), and the hub must repair.
 *
 * <ul>
 *   <li>The stream keeps messages by limits (age, count), not by interest: every instance's
 *       consumer reads every message.
 *   <li>A new consumer starts with the messages published after its creation: an instance that
 *       never consumed had empty memory layers, so nothing before concerns it. From then on it
 *       resumes from its last acknowledgement.
 *   <li>A push consumer: the server sends as messages arrive, and refuses a second subscriber
 *       (two instances configured with one durable name would otherwise split the messages).
 * </ul>
 */
final class JetStreamSetup {

  private static final Logger LOG = LoggerFactory.getLogger(JetStreamSetup.class);
  private static final int STREAM_NOT_FOUND = 10059;
  private static final int CONSUMER_NOT_FOUND = 10014;

  private final String subject;
  private final JetStreamSpec spec;
  private final JetStreamOptions options;
  private final String bus;

  JetStreamSetup(String subject, JetStreamSpec spec, Duration timeout, String bus) {
    this.subject = subject;
    this.spec = spec;
    this.options = JetStreamOptions.builder().requestTimeout(timeout).build();
    this.bus = bus;
  }

  /**
   * Checks the stream, creating it when missing and {@code ensure-stream} allows; true when it was created.
   *
   * @throws IllegalStateException when it is missing and may not be created, or does not capture
   *     the subject; the message names the setting
   */
  boolean ensureStream(Connection connection) throws IOException, JetStreamApiException {
    return ensureStream(connection.jetStreamManagement(options));
  }

  /**
   * Checks this instance's consumer, creating it when missing (or updating its ack-wait and
   * max-deliver) as {@code ensure-consumer} allows; true when it was created.
   *
   * @throws IllegalStateException when it is missing and may not be created, or is a pull consumer
   */
  boolean ensureConsumer(Connection connection) throws IOException, JetStreamApiException {
    JetStreamManagement jsm = connection.jetStreamManagement(options);
    ConsumerInfo consumer = find(() -> jsm.getConsumerInfo(spec.stream(), spec.durableName()));
    if (consumer == null) {
      if (!spec.ensureConsumer()) {
        throw new IllegalStateException("consumer " + spec.durableName() + " of stream " + spec.stream()
            + " does not exist and bus.nats.jetstream.ensure-consumer = false");
      }
      jsm.addOrUpdateConsumer(spec.stream(), consumerConfiguration(connection.createInbox()));
      LOG.info("bus={} created durable consumer {}", bus, spec.durableName());
      return true;
    }
    ConsumerConfiguration existing = consumer.getConsumerConfiguration();
    if (existing.getDeliverSubject() == null) {
      throw new IllegalStateException("consumer " + spec.durableName() + " of stream " + spec.stream() + " is a pull "
          + "consumer; the bus needs a push consumer (delete it, or name another bus.nats.jetstream.durable-name)");
    }
    if (spec.ensureConsumer() && (!spec.ackWait().equals(existing.getAckWait())
        || existing.getMaxDeliver() != spec.maxDeliver())) {
      jsm.addOrUpdateConsumer(spec.stream(), ConsumerConfiguration.builder(existing).ackWait(spec.ackWait())
          .maxDeliver(spec.maxDeliver()).build());
      LOG.info("bus={} updated consumer {}: ack-wait {}, max-deliver {}", bus, spec.durableName(), spec.ackWait(),
          spec.maxDeliver());
    }
    return false;
  }

  private boolean ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
    StreamInfo stream = find(() -> jsm.getStreamInfo(spec.stream()));
    if (stream != null) {
      List<String> subjects = stream.getConfiguration().getSubjects();
      if (subjects.stream().noneMatch(pattern -> Subjects.covers(pattern, subject))) {
        throw new IllegalStateException("stream " + spec.stream() + " does not capture bus.nats.subject " + subject
            + " (its subjects: " + subjects + ")");
      }
      return false;
    }
    if (!spec.ensureStream()) {
      throw new IllegalStateException("stream " + spec.stream() + " does not exist and bus.nats.jetstream.ensure-stream"
          + " = false");
    }
    jsm.addStream(StreamConfiguration.builder().name(spec.stream()).subjects(subject)
        .storageType(spec.storage() == JetStreamSpec.Storage.FILE ? StorageType.File : StorageType.Memory)
        .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.Old)
        .maxAge(spec.maxAge()).maxMessages(spec.maxMsgs()).replicas(spec.replicas()).build());
    LOG.info("bus={} created stream {} ({} storage, max-age {}, max-msgs {})", bus, spec.stream(), spec.storage(),
        spec.maxAge(), spec.maxMsgs());
    return true;
  }

  private ConsumerConfiguration consumerConfiguration(String deliverSubject) {
    return ConsumerConfiguration.builder().durable(spec.durableName()).deliverSubject(deliverSubject)
        .deliverPolicy(DeliverPolicy.New).ackPolicy(AckPolicy.Explicit).ackWait(spec.ackWait())
        .maxDeliver(spec.maxDeliver()).filterSubject(subject).build();
  }

  /** A JetStream API call whose "not found" answer is null. */
  private interface Lookup<T> {
    T get() throws IOException, JetStreamApiException;
  }

  private static <T> @Nullable T find(Lookup<T> lookup) throws IOException, JetStreamApiException {
    try {
      return lookup.get();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND || e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }
}
