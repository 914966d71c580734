package io.layercache.benchmarks.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /<endpoint>?k=<key>}: answers the key's value, 200 with the bytes, or 400 without a
 * {@code k} parameter, or 500 with the exception when the source fails (a cache whose Redis layer
 * fails in strict mode). Where the value comes from (a cache or the origin) is the endpoint's
 * {@code source}.
 */
final class KeyEndpoint implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(KeyEndpoint.class);

  private final Function<String, byte[]> source;
  private final AtomicBoolean firstFailure = new AtomicBoolean();

  KeyEndpoint(Function<String, byte[]> source) {
    this.source = source;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String key = key(exchange.getRequestURI().getRawQuery());
      if (key == null) {
        send(exchange, 400, "missing query parameter k\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] value;
      try {
        value = source.apply(key);
      } catch (RuntimeException e) {
        // Answered inside the exchange (a catch of the outer try would run after it is closed).
        if (firstFailure.compareAndSet(false, true)) {
          LOG.warn("{} failed; answering 500 (only the first failure is logged)", exchange.getRequestURI(), e);
        }
        send(exchange, 500, (e + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(exchange, 200, value);
    }
  }

  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The value of the {@code k} parameter, or null. */
  static String key(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("k=") && pair.length() > 2) {
        return pair.substring(2);
      }
    }
    return null;
  }
}
