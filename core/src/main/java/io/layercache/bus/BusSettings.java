package io.layercache.bus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What every transport shares: identity, what is published, the checks on what is received, the
 * retry queue, the circuit breaker, and gap detection and repair. Validated where built; messages
 * name the setting.
 *
 * @param source             this instance's name on the bus (e.g. the host name); every hub adds
 *                           a random incarnation, so a restarted instance never looks like a replay
 *                           of itself, and two cache managers of one JVM stay distinct
 * @param subscribe          false: publish only, never apply other instances' changes
 * @param broadcastSet       a value a load stored is sent along, so other instances' memory
 *                           layers hold it without a load of their own (one loader call, every
 *                           instance warm); false: only invalidations are sent
 * @param broadcastSetMaxBytes the largest encoded value sent for priming; larger ones are sent
 *                           as invalidations; 0: up to {@code maxMessageBytes}
 * @param maxMessageBytes    the largest message sent or accepted
 * @param trackedSources     how many other instances' sequences are tracked (duplicates, gaps)
 * @param replayWindow       messages older than this (by their timestamp) are refused as replays
 * @param retryQueue         how many messages wait while the transport fails (oldest dropped
 *                           first, which other instances then see as a gap); 0: no retry
 * @param breaker            when publishing stops trying for a while
 * @param heartbeatInterval  how often this instance sends a heartbeat: other instances detect
 *                           lost messages from its sequence, and this instance detects that its
 *                           own subscription went quiet when its heartbeats stop coming back
 * @param reconcileInterval  the longest in-process layers stay untrusted: after a gap they are
 *                           repaired at once, and while the subscription is down, every interval
 * @param signing            HMAC-SHA256 signing of sent messages and checks of received ones
 */
public record BusSettings(String source, boolean subscribe, boolean broadcastSet, int broadcastSetMaxBytes,
    int maxMessageBytes, int trackedSources, Duration replayWindow, int retryQueue, Breaker breaker,
    Duration heartbeatInterval, Duration reconcileInterval, Signing signing) {

  /** The default {@code max-message-bytes}: 256 KiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Validates the settings. */
  public BusSettings {
    Objects.requireNonNull(source, "bus.source");
    if (!SOURCE.matcher(source).matches()) {
      throw new IllegalArgumentException("bus.source must match [A-Za-z0-9._:-]{1,64}, was '" + source + "'");
    }
    if (maxMessageBytes < 1024 || maxMessageBytes > 64 << 20) {
      throw new IllegalArgumentException("bus.max-message-bytes must be within 1024 and 67108864, was " + maxMessageBytes);
    }
    if (broadcastSetMaxBytes < 0 || broadcastSetMaxBytes > maxMessageBytes) {
      throw new IllegalArgumentException("bus.broadcast-set-max-bytes must be within 0 and bus.max-message-bytes ("
          + maxMessageBytes + "), was " + broadcastSetMaxBytes);
    }
    if (trackedSources < 1) {
      throw new IllegalArgumentException("bus.dedupe.max-entries must be >= 1, was " + trackedSources);
    }
    requirePositive(replayWindow, "bus.dedupe.ttl");
    if (retryQueue < 0) {
      throw new IllegalArgumentException("bus.retry-queue.max-size must be >= 0, was " + retryQueue);
    }
    Objects.requireNonNull(breaker, "bus.circuit-breaker");
    requirePositive(heartbeatInterval, "bus.heartbeat-interval");
    requirePositive(reconcileInterval, "bus.reconcile-interval");
    Objects.requireNonNull(signing, "bus.signing");
  }

  /** The defaults, under the given source name. */
  public static BusSettings defaults(String source) {
    return new BusSettings(source, true, true, 0, DEFAULT_MAX_MESSAGE_BYTES, 10_000, Duration.ofMinutes(5), 10_000,
        new Breaker(3, Duration.ofSeconds(1)), Duration.ofSeconds(1), Duration.ofSeconds(5), Signing.NONE);
  }

  /** The defaults, named after this host. */
  public static BusSettings defaults() {
    return defaults(defaultSource());
  }

  /** This host's name, reduced to the characters a source may have. */
  public static String defaultSource() {
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    if (host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException | SecurityException e) {
        host = "instance";
      }
    }
    String cleaned = host.replaceAll("[^A-Za-z0-9._:-]", "-");
    return cleaned.isEmpty() ? "instance" : cleaned.substring(0, Math.min(64, cleaned.length()));
  }

  /** The same settings with another signing. */
  public BusSettings withSigning(Signing newSigning) {
    return new BusSettings(source, subscribe, broadcastSet, broadcastSetMaxBytes, maxMessageBytes, trackedSources,
        replayWindow, retryQueue, breaker, heartbeatInterval, reconcileInterval, newSigning);
  }

  /** The same settings with other heartbeat and reconcile intervals. */
  public BusSettings withIntervals(Duration heartbeat, Duration reconcile) {
    return new BusSettings(source, subscribe, broadcastSet, broadcastSetMaxBytes, maxMessageBytes, trackedSources,
        replayWindow, retryQueue, breaker, heartbeat, reconcile, signing);
  }

  /** The same settings with priming on or off. */
  public BusSettings withBroadcastSet(boolean enabled, int maxBytes) {
    return new BusSettings(source, subscribe, enabled, maxBytes, maxMessageBytes, trackedSources, replayWindow,
        retryQueue, breaker, heartbeatInterval, reconcileInterval, signing);
  }

  /** The same settings, publishing only (or not). */
  public BusSettings withSubscribe(boolean enabled) {
    return new BusSettings(source, enabled, broadcastSet, broadcastSetMaxBytes, maxMessageBytes, trackedSources,
        replayWindow, retryQueue, breaker, heartbeatInterval, reconcileInterval, signing);
  }

  /** The largest value encoding sent for priming. */
  int primingLimit() {
    return broadcastSetMaxBytes == 0 ? maxMessageBytes - 1024 : broadcastSetMaxBytes;
  }

  private static void requirePositive(Duration duration, String setting) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + duration);
    }
  }

  /**
   * The publish circuit breaker: after {@code failureThreshold} consecutive failed publishes,
   * publishing pauses for {@code breakDuration} (messages wait in the retry queue), so a broken
   * bus costs no time on the request path.
   */
  public record Breaker(int failureThreshold, Duration breakDuration) {
    /** Validates the breaker. */
    public Breaker {
      if (failureThreshold < 1) {
        throw new IllegalArgumentException("bus.circuit-breaker.failure-threshold must be >= 1, was " + failureThreshold);
      }
      requirePositive(breakDuration, "bus.circuit-breaker.break-duration");
    }
  }

  /**
   * HMAC-SHA256 signing. With a secret, every message sent is signed under {@code keyId}, and a
   * signed message received is accepted only when its key id is known and its signature right.
   * With {@code required}, unsigned messages are refused too (set it once every instance signs).
   *
   * <p>Rotation without dropped messages: deploy the new key everywhere with the old one as
   * {@code previous} (instances sign with the new key and still accept the old one), then remove
   * {@code previous}.
   *
   * @param keyId          names the secret in each message, so secrets can be rotated
   * @param secret         at least 32 bytes; null: sign nothing
   * @param required       refuse unsigned messages
   * @param previousKeyId  a key id still accepted (not used to sign), or null
   * @param previousSecret its secret, at least 32 bytes, or null
   */
  public record Signing(@Nullable String keyId, byte @Nullable [] secret, boolean required,
      @Nullable String previousKeyId, byte @Nullable [] previousSecret) {

    /** No signing, unsigned messages accepted. */
    public static final Signing NONE = new Signing(null, null, false);

    /** Validates the signing settings; keeps copies of the secrets. */
    public Signing {
      secret = checked(keyId, secret, "bus.signing.key-id", "bus.signing.secret");
      previousSecret = checked(previousKeyId, previousSecret, "bus.signing.previous.key-id",
          "bus.signing.previous.secret");
      if (required && secret == null) {
        throw new IllegalArgumentException("bus.signing.required needs bus.signing.secret");
      }
      if (previousSecret != null && secret == null) {
        throw new IllegalArgumentException("bus.signing.previous needs bus.signing.secret (the key to sign with)");
      }
      if (previousSecret != null && previousKeyId.equals(keyId)) {
        throw new IllegalArgumentException("bus.signing.previous.key-id must differ from bus.signing.key-id");
      }
    }

    /** Signing with one key. */
    public Signing(@Nullable String keyId, byte @Nullable [] secret, boolean required) {
      this(keyId, secret, required, null, null);
    }

    /** Signing with a UTF-8 secret. */
    public static Signing of(String keyId, String secret, boolean required) {
      return new Signing(keyId, secret.getBytes(StandardCharsets.UTF_8), required);
    }

    /** The same signing, still accepting messages signed with {@code keyId}'s UTF-8 {@code secret} (rotation). */
    public Signing withPrevious(String keyId, String secret) {
      return new Signing(this.keyId, this.secret, required, keyId, secret.getBytes(StandardCharsets.UTF_8));
    }

    private static byte @Nullable [] checked(@Nullable String keyId, byte @Nullable [] secret, String keySetting,
        String secretSetting) {
      if (secret == null) {
        return null;
      }
      if (secret.length < 32) {
        throw new IllegalArgumentException(secretSetting + " must have at least 32 bytes, had " + secret.length);
      }
      if (keyId == null || !SOURCE.matcher(keyId).matches()) {
        throw new IllegalArgumentException(keySetting + " must match [A-Za-z0-9._:-]{1,64} when a secret is set, was '"
            + keyId + "'");
      }
      return secret.clone();
    }

    @Override
    public byte @Nullable [] secret() {
      return secret == null ? null : secret.clone();
    }

    @Override
    public byte @Nullable [] previousSecret() {
      return previousSecret == null ? null : previousSecret.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Signing s && Objects.equals(keyId, s.keyId) && Arrays.equals(secret, s.secret)
          && required == s.required && Objects.equals(previousKeyId, s.previousKeyId)
          && Arrays.equals(previousSecret, s.previousSecret);
    }

    @Override
    public int hashCode() {
      return Objects.hash(keyId, Arrays.hashCode(secret), required, previousKeyId, Arrays.hashCode(previousSecret));
    }

    @Override
    public String toString() {
      return "Signing[keyId=" + keyId + ", secret=" + (secret == null ? "none" : "***") + ", required=" + required
          + (previousKeyId == null ? "" : ", previousKeyId=" + previousKeyId + ", previousSecret=***") + "]";
    }
  }

}
