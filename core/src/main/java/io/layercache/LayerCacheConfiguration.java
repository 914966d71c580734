package io.layercache;

import io.layercache.TimeSource;
import io.layercache.layer.LayerSpec;
import io.layercache.layer.memory.MemoryLayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * A JCache {@link MutableConfiguration} plus what LayerCache adds: the layer stack and default
 * entry options.
 *
 * <p>Use it wherever JCache takes a configuration:
 * <pre>{@code
 * var config = new LayerCacheConfiguration<String, User>()
 *     .setTypes(String.class, User.class)
 *     .setLayers(MemoryLayerSpec.ofMaximumSize(50_000));
 * Cache<String, User> users = manager.createCache("users", config);
 * }</pre>
 *
 * <ul>
 *   <li>Copy-constructible from any JCache configuration. Layers left unset come from the cache
 *       manager's default template ({@code layercache.default} in the configuration file; out of
 *       the box one memory layer of {@value MemoryLayerSpec#DEFAULT_MAXIMUM_SIZE} entries).
 *   <li>{@link #freeze()} makes it read-only: every setter then throws
 *       {@link IllegalStateException}. A cache keeps a frozen copy, so changing the object passed
 *       to {@code createCache} afterwards never changes the cache.
 *   <li>Not thread-safe while mutable; safe to share once frozen.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class LayerCacheConfiguration<K, V> extends MutableConfiguration<K, V> {

  private static final long serialVersionUID = 1L;

  private transient List<LayerSpec> layers = List.of();
  private transient EntryOptions defaultEntryOptions = EntryOptions.defaults();
  private transient TimeSource timeSource = TimeSource.SYSTEM;
  private transient ResilienceSettings resilience = ResilienceSettings.defaults();
  private transient FailSafeSettings failSafe = FailSafeSettings.disabled();
  private transient RefreshSettings refresh = RefreshSettings.disabled();
  private transient SingleFlightSettings singleFlight = SingleFlightSettings.local();
  private transient NegativeCachingSettings negativeCaching = NegativeCachingSettings.disabled();
  private transient TagSettings tags = TagSettings.defaults();
  private transient io.layercache.bus.@Nullable BusConfig bus;
  private volatile boolean frozen;

  /** A configuration with JCache's defaults and one default memory layer. */
  public LayerCacheConfiguration() {}

  /**
   * A mutable copy of {@code configuration}; LayerCache settings are copied too when it is a
   * {@code LayerCacheConfiguration}.
   */
  public LayerCacheConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof LayerCacheConfiguration<K, V> layered) {
      this.layers = layered.layers;
      this.defaultEntryOptions = layered.defaultEntryOptions;
      this.timeSource = layered.timeSource;
      this.resilience = layered.resilience;
      this.failSafe = layered.failSafe;
      this.refresh = layered.refresh;
      this.singleFlight = layered.singleFlight;
      this.negativeCaching = layered.negativeCaching;
      this.tags = layered.tags;
      this.bus = layered.bus;
    }
  }

  /**
   * A mutable LayerCache configuration from any JCache configuration: a complete one is copied
   * whole, a basic one contributes its types and store-by-value flag.
   */
  public static <K, V> LayerCacheConfiguration<K, V> from(Configuration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return new LayerCacheConfiguration<>(complete);
    }
    LayerCacheConfiguration<K, V> result = new LayerCacheConfiguration<>();
    result.setTypes(configuration.getKeyType(), configuration.getValueType());
    result.setStoreByValue(configuration.isStoreByValue());
    return result;
  }

  /** The layers, fastest first; empty means "the cache manager's default layers". */
  public List<LayerSpec> getLayers() {
    return layers;
  }

  /**
   * Sets the layers, fastest first (e.g. memory, then Redis).
   *
   * @throws IllegalArgumentException if there is no layer or a type appears twice
   */
  public LayerCacheConfiguration<K, V> setLayers(List<? extends LayerSpec> layers) {
    checkMutable();
    List<LayerSpec> copy = List.copyOf(layers);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("layers must name at least one layer");
    }
    List<String> types = new ArrayList<>();
    for (LayerSpec layer : copy) {
      if (types.contains(layer.type())) {
        throw new IllegalArgumentException("layers names '" + layer.type() + "' twice");
      }
      types.add(layer.type());
    }
    this.layers = copy;
    return this;
  }

  /** Sets the layers, fastest first. */
  public LayerCacheConfiguration<K, V> setLayers(LayerSpec... layers) {
    return setLayers(List.of(layers));
  }

  /** The options applied to every write that brings none of its own (ttl, tags). */
  public EntryOptions getDefaultEntryOptions() {
    return defaultEntryOptions;
  }

  /**
   * Sets the options applied to every write that brings none of its own. A ttl here overrides
   * the expiry policy for creations and updates.
   */
  public LayerCacheConfiguration<K, V> setDefaultEntryOptions(EntryOptions options) {
    checkMutable();
    this.defaultEntryOptions = Objects.requireNonNull(options, "defaultEntryOptions");
    return this;
  }

  /** How the cache copes with failing remote layers. */
  public ResilienceSettings getResilience() {
    return resilience;
  }

  /** Sets how the cache copes with failing remote layers (degradation mode, circuit breaker). */
  public LayerCacheConfiguration<K, V> setResilience(ResilienceSettings resilience) {
    checkMutable();
    this.resilience = Objects.requireNonNull(resilience, "resilience");
    return this;
  }

  /** Fail-safe (stale-if-error) and the loader timeouts. */
  public FailSafeSettings getFailSafe() {
    return failSafe;
  }

  /** Sets fail-safe (stale-if-error) and the loader timeouts; off by default. */
  public LayerCacheConfiguration<K, V> setFailSafe(FailSafeSettings failSafe) {
    checkMutable();
    this.failSafe = Objects.requireNonNull(failSafe, "failSafe");
    return this;
  }

  /** Stale-while-revalidate. */
  public RefreshSettings getRefresh() {
    return refresh;
  }

  /** Sets stale-while-revalidate; off by default. */
  public LayerCacheConfiguration<K, V> setRefresh(RefreshSettings refresh) {
    checkMutable();
    this.refresh = Objects.requireNonNull(refresh, "refresh");
    return this;
  }

  /** Single-flight: local only, or coordinated across instances through the shared layer. */
  public SingleFlightSettings getSingleFlight() {
    return singleFlight;
  }

  /** Sets single-flight; local only by default. */
  public LayerCacheConfiguration<K, V> setSingleFlight(SingleFlightSettings singleFlight) {
    checkMutable();
    this.singleFlight = Objects.requireNonNull(singleFlight, "singleFlight");
    return this;
  }

  /** Negative caching: how long a loader's "not found" is remembered. */
  public NegativeCachingSettings getNegativeCaching() {
    return negativeCaching;
  }

  /** Sets negative caching; off by default. */
  public LayerCacheConfiguration<K, V> setNegativeCaching(NegativeCachingSettings negativeCaching) {
    checkMutable();
    this.negativeCaching = Objects.requireNonNull(negativeCaching, "negativeCaching");
    return this;
  }

  /** How tag invalidations made by other instances reach this one (through the shared layer). */
  public TagSettings getTags() {
    return tags;
  }

  /** Sets how tag invalidations made by other instances reach this one; a 5 s refresh interval by default. */
  public LayerCacheConfiguration<K, V> setTags(TagSettings tags) {
    checkMutable();
    this.tags = Objects.requireNonNull(tags, "tags");
    return this;
  }

  /**
   * The invalidation bus that keeps this cache's in-process layers coherent across instances;
   * null means "the cache manager's default" ({@code layercache.default.bus}, none out of the box).
   */
  public io.layercache.bus.@Nullable BusConfig getBus() {
    return bus;
  }

  /** Sets the invalidation bus ({@link io.layercache.bus.BusConfig#none()} for none). */
  public LayerCacheConfiguration<K, V> setBus(io.layercache.bus.BusConfig bus) {
    checkMutable();
    this.bus = Objects.requireNonNull(bus, "bus");
    return this;
  }

  /** The clock the cache judges expiry with. */
  public TimeSource getTimeSource() {
    return timeSource;
  }

  /**
   * Sets the clock the cache judges expiry with; the system clock by default. Tests use a
   * manual clock to expire entries without sleeping.
   */
  public LayerCacheConfiguration<K, V> setTimeSource(TimeSource timeSource) {
    checkMutable();
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
    return this;
  }

  /** Makes this configuration read-only and returns it. */
  public LayerCacheConfiguration<K, V> freeze() {
    frozen = true;
    return this;
  }

  /** True once {@link #freeze()} was called. */
  public boolean isFrozen() {
    return frozen;
  }

  /** A frozen copy of this configuration. */
  public LayerCacheConfiguration<K, V> frozenCopy() {
    return new LayerCacheConfiguration<>(this).freeze();
  }

  @Override
  public LayerCacheConfiguration<K, V> setTypes(Class<K> keyType, Class<V> valueType) {
    checkMutable();
    super.setTypes(keyType, valueType);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> addCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkMutable();
    super.addCacheEntryListenerConfiguration(listenerConfiguration);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> removeCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkMutable();
    super.removeCacheEntryListenerConfiguration(listenerConfiguration);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setCacheLoaderFactory(Factory<? extends CacheLoader<K, V>> factory) {
    checkMutable();
    super.setCacheLoaderFactory(factory);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setCacheWriterFactory(
      Factory<? extends CacheWriter<? super K, ? super V>> factory) {
    checkMutable();
    super.setCacheWriterFactory(factory);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setExpiryPolicyFactory(Factory<? extends ExpiryPolicy> factory) {
    checkMutable();
    super.setExpiryPolicyFactory(factory);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setReadThrough(boolean isReadThrough) {
    checkMutable();
    super.setReadThrough(isReadThrough);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setWriteThrough(boolean isWriteThrough) {
    checkMutable();
    super.setWriteThrough(isWriteThrough);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setStoreByValue(boolean isStoreByValue) {
    checkMutable();
    super.setStoreByValue(isStoreByValue);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setStatisticsEnabled(boolean enabled) {
    checkMutable();
    super.setStatisticsEnabled(enabled);
    return this;
  }

  @Override
  public LayerCacheConfiguration<K, V> setManagementEnabled(boolean enabled) {
    checkMutable();
    super.setManagementEnabled(enabled);
    return this;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof LayerCacheConfiguration<?, ?> that) || !super.equals(other)) {
      return false;
    }
    return layers.equals(that.layers) && defaultEntryOptions.equals(that.defaultEntryOptions);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + layers.hashCode();
  }

  private void checkMutable() {
    if (frozen) {
      throw new IllegalStateException("This configuration is frozen: a cache's configuration cannot "
          + "change after the cache is created; copy it with new LayerCacheConfiguration<>(config)");
    }
  }
}
