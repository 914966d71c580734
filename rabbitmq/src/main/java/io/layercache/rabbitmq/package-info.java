/**
 * The RabbitMQ transport of the invalidation bus ({@code bus.type = rabbitmq}): see
 * {@link io.layercache.rabbitmq.RabbitMqBusSpec} for the two deliveries (at most once on a
 * server-named exclusive queue, or durable on a named queue per instance) and docs/rabbitmq.md.
 */
package io.layercache.rabbitmq;
