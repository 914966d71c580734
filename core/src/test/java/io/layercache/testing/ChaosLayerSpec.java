package io.layercache.testing;

import io.layercache.layer.LayerSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * A layer definition wrapping another one in a {@link ChaosLayer}: {@code inner} is built by its
 * own factory, then every call goes through {@code chaos} first. Built in code only (the switch is
 * an object the test holds), e.g.
 * {@code config.setLayers(MemoryLayerSpec.defaults(), remote.spec().withChaos(chaos))}.
 *
 * @param inner the wrapped layer's definition
 * @param chaos the switch the test flips
 */
public record ChaosLayerSpec(LayerSpec inner, Chaos chaos) implements LayerSpec {

  /** The layer type name. */
  public static final String TYPE = "chaos";

  /** Validates the definition. */
  public ChaosLayerSpec {
    Objects.requireNonNull(inner, "inner");
    Objects.requireNonNull(chaos, "chaos");
    if (inner instanceof ChaosLayerSpec) {
      throw new IllegalArgumentException("a chaos layer wraps a real layer, not another chaos layer");
    }
  }

  /** {@code inner} behind {@code chaos}. */
  public static ChaosLayerSpec wrap(LayerSpec inner, Chaos chaos) {
    return new ChaosLayerSpec(inner, chaos);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The wrapped layer's cap. */
  @Override
  public Duration ttl() {
    return inner.ttl();
  }
}
