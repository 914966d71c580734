/**
 * Real test servers for integration and fault tests, started on free loopback ports by the
 * tests themselves, with controls that act on the real processes (SIGKILL, SIGSTOP, DEBUG SLEEP):
 * a standalone {@link io.layercache.testsupport.RedisServer}, a
 * {@link io.layercache.testsupport.RedisCluster}, a {@link io.layercache.testsupport.RedisSentinel}
 * deployment that fails over for real, and a TLS-only {@link io.layercache.testsupport.RedisTls}
 * server with a generated CA and an ACL user; and a RabbitMQ broker
 * ({@link io.layercache.testsupport.RabbitMqServer}) that can be killed, stopped and started
 * again with its data.
 *
 *
 * <p>{@link io.layercache.testsupport.NatsServer}: a {@code nats-server} with JetStream and a
 * store directory of its own, killed (SIGKILL), stopped (SIGTERM) and restarted on the same store.
 */
package io.layercache.testsupport;
