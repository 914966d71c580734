package io.layercache.testing;

import io.layercache.codec.CodecSettings;
import io.layercache.layer.LayerSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * The definition of an {@link InMemoryRemoteLayer}: a shared remote layer in this JVM, for tests.
 * In a configuration file: {@code layers = [memory, in-memory-remote]} with an optional section
 * {@code in-memory-remote { namespace = "...", expired-entry-grace = 5s, load-leases = true, ttl = null }}.
 *
 * @param namespace         selects the {@link InMemoryRemote}: caches with the same namespace and
 *                          name share their entries
 * @param ttl               the longest an entry stays in the layer whatever its expiry, or null
 * @param expiredEntryGrace how long an entry is kept past its expiry (as the Redis layer's
 *                          {@code expired-entry-grace}; fail-safe's maximum staleness is added)
 * @param loadLeases        whether the layer offers load leases (distributed single-flight)
 * @param foundNothingMark  how long a lease released as "found nothing" stays marked so, for the
 *                          instances waiting on it (100 ms in the Redis layer)
 * @param codec             the settings of the codec values go through (allow-list, size caps)
 */
public record InMemoryRemoteLayerSpec(String namespace, Duration ttl, Duration expiredEntryGrace, boolean loadLeases,
    Duration foundNothingMark, CodecSettings codec) implements LayerSpec {

  /** The layer type name. */
  public static final String TYPE = "in-memory-remote";

  /** Validates the definition; messages name the setting. */
  public InMemoryRemoteLayerSpec {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("in-memory-remote.namespace must not be blank");
    }
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("in-memory-remote.ttl must be positive, was " + ttl);
    }
    if (expiredEntryGrace == null || expiredEntryGrace.isNegative()) {
      throw new IllegalArgumentException("in-memory-remote.expired-entry-grace must be >= 0, was " + expiredEntryGrace);
    }
    if (foundNothingMark == null || foundNothingMark.isNegative() || foundNothingMark.isZero()) {
      throw new IllegalArgumentException("in-memory-remote.found-nothing-mark must be positive, was " + foundNothingMark);
    }
    Objects.requireNonNull(codec, "in-memory-remote.codec");
  }

  /** The default found-nothing mark, as the Redis layer's. */
  public static final Duration DEFAULT_FOUND_NOTHING_MARK = Duration.ofMillis(100);

  /**
   * The layer of {@code namespace} with the Redis layer's defaults: leases on, 5 s grace, 100 ms
   * found-nothing mark, default codec.
   */
  public static InMemoryRemoteLayerSpec of(String namespace) {
    return new InMemoryRemoteLayerSpec(namespace, null, Duration.ofSeconds(5), true, DEFAULT_FOUND_NOTHING_MARK,
        CodecSettings.defaults());
  }

  /** The same layer with a cap on how long an entry stays in it. */
  public InMemoryRemoteLayerSpec withTtl(Duration ttl) {
    return new InMemoryRemoteLayerSpec(namespace, ttl, expiredEntryGrace, loadLeases, foundNothingMark, codec);
  }

  /** The same layer keeping entries {@code grace} past their expiry. */
  public InMemoryRemoteLayerSpec withExpiredEntryGrace(Duration grace) {
    return new InMemoryRemoteLayerSpec(namespace, ttl, grace, loadLeases, foundNothingMark, codec);
  }

  /** The same layer without load leases, as a shared layer that offers none. */
  public InMemoryRemoteLayerSpec withoutLoadLeases() {
    return new InMemoryRemoteLayerSpec(namespace, ttl, expiredEntryGrace, false, foundNothingMark, codec);
  }

  /**
   * The same layer leaving a found-nothing mark for {@code mark}: longer than the default makes
   * tests of waiters on a busy machine independent of how fast they poll.
   */
  public InMemoryRemoteLayerSpec withFoundNothingMark(Duration mark) {
    return new InMemoryRemoteLayerSpec(namespace, ttl, expiredEntryGrace, loadLeases, mark, codec);
  }

  /** The same layer with other codec settings (e.g. allowed class prefixes for test value types). */
  public InMemoryRemoteLayerSpec withCodec(CodecSettings codec) {
    return new InMemoryRemoteLayerSpec(namespace, ttl, expiredEntryGrace, loadLeases, foundNothingMark, codec);
  }

  /** This layer behind a {@link ChaosLayer} switched by {@code chaos}. */
  public ChaosLayerSpec withChaos(Chaos chaos) {
    return ChaosLayerSpec.wrap(this, chaos);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
