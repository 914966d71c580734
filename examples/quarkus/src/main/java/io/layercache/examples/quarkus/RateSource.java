package io.layercache.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands for a slow rate service: it counts the requests that reach it. */
@ApplicationScoped
public class RateSource {

  private final AtomicInteger requests = new AtomicInteger();

  /** A made-up rate, stable for a currency pair. */
  public BigDecimal fetch(String from, String to) {
    requests.incrementAndGet();
    return BigDecimal.valueOf(Math.floorMod((from + to).hashCode(), 10_000), 4).add(BigDecimal.ONE);
  }

  /** Requests that reached this source so far. */
  public int requests() {
    return requests.get();
  }
}
