package io.layercache.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving a test class one real {@link RedisServer} (started before the class,
 * stopped after it), injected into test and lifecycle method parameters.
 *
 * <p>Each test class gets its own server, so fault tests (kill, pause) never disturb another
 * class. {@code REDIS_URL} is not used here: fault tests need a server they own.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put("server", RedisServer.start());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RedisServer server = context.getStore(NAMESPACE).remove("server", RedisServer.class);
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get("server", RedisServer.class);
  }
}
