package io.layercache.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension injecting a real {@link RabbitMqServer} into test, constructor and lifecycle
 * method parameters.
 *
 * <p>A broker takes seconds to start, so every test class of a test JVM shares one: the first
 * class that asks starts it, and it stops when the JVM's tests are done. It is the broker of
 * {@code AMQP_URL} when that is set. A class annotated {@link KillsTheBroker} kills and restarts
 * the broker, which it can only do to one the tests started: without {@code AMQP_URL} it shares
 * the same one (restarting it before it ends, so the next class finds it running); with
 * {@code AMQP_URL} it gets one of its own, stopped after the class.
 */
public final class RabbitMqServerExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      RabbitMqServerExtension.class);

  /** Marks a test class that kills, stops or restarts the broker. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  public @interface KillsTheBroker {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RabbitMqServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    RabbitMqServer shared = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("shared", key -> RabbitMqServer.fromEnvironment(), RabbitMqServer.class);
    boolean kills = context.getRequiredTestClass().isAnnotationPresent(KillsTheBroker.class);
    if (!kills || shared.owned()) {
      return shared;
    }
    ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElseThrow() : context;
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent("owned", key -> RabbitMqServer.startLocal(), RabbitMqServer.class);
  }
}
