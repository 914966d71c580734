/**
 * The invalidation bus: keeps every instance's in-process layers coherent with the changes other
 * instances make.
 *
 * <ul>
 *   <li>{@link io.layercache.bus.BusTransport} is the SPI a transport module implements (Redis
 *       pub/sub in {@code layercache-redis}); transports are found through
 *       {@link io.layercache.bus.BusFactory} and {@link java.util.ServiceLoader}.
 *   <li>{@link io.layercache.bus.BusHub} (one per transport and settings in a cache manager)
 *       sequences, signs and publishes messages, and checks, deduplicates and applies what it
 *       receives; {@link io.layercache.bus.CacheLink} joins one cache to it.
 *   <li>Messages are {@link io.layercache.bus.BusMessage}s in the binary format of
 *       {@link io.layercache.bus.BusMessageCodec} (see docs/invalidation-bus.md).
 * </ul>
 */
@NullMarked
package io.layercache.bus;

import org.jspecify.annotations.NullMarked;
