package io.layercache.examples.quarkus;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/** {@code java -jar target/quarkus-app/quarkus-run.jar}: asks for one rate three times. */
@QuarkusMain
public class RatesDemo implements QuarkusApplication {

  @Inject
  ExchangeRates rates;

  @Inject
  RateSource source;

  @Override
  public int run(String... args) {
    for (int i = 1; i <= 3; i++) {
      System.out.printf("rate(EUR, USD) call %d = %s (requests to the rate source: %d)%n",
          i, rates.rate("EUR", "USD"), source.requests());
    }
    return 0;
  }
}
