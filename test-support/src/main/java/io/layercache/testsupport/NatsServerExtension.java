package io.layercache.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving a test class one real {@link NatsServer} with JetStream (started
 * before the class, stopped after it), injected into test and lifecycle method parameters. With
 * {@code NATS_URL} set, that server is used instead (see {@link NatsServer#startOrExternal()}):
 * tests then keep apart by using subjects, streams and consumers of their own.
 */
public final class NatsServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NatsServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put("server", NatsServer.startOrExternal());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    NatsServer server = context.getStore(NAMESPACE).remove("server", NatsServer.class);
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == NatsServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get("server", NatsServer.class);
  }
}
