package io.layercache.examples.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The example's scrape shows what its work did. */
class PrometheusScrapeTest {

  @Test
  void theScrapeShowsTheHitsLoadsNegativeHitAndFailSafeOfTheExample() {
    String scrape = PrometheusScrape.scrape();

    assertThat(scrape).contains(
        "cache_gets_total{app=\"example\",cache=\"users\",result=\"hit\"} 1.0",
        "cache_gets_total{app=\"example\",cache=\"users\",result=\"miss\"} 4.0",
        "cache_size{app=\"example\",cache=\"users\"} 3.0",
        "layercache_layer_gets_total{app=\"example\",cache=\"users\",layer=\"memory\",result=\"hit\"} 2.0",
        "layercache_loads_total{app=\"example\",cache=\"users\",result=\"success\"} 2.0",
        "layercache_loads_total{app=\"example\",cache=\"users\",result=\"failure\"} 1.0",
        "layercache_negative_hits_total{app=\"example\",cache=\"users\"} 1.0",
        "layercache_stale_served_total{app=\"example\",cache=\"users\",reason=\"fail-safe\"} 1.0");
  }
}
