package io.layercache.examples.springboot;

import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

/**
 * A Spring Boot application caching through LayerCache. Its caches are configured in
 * {@code application.properties} (memory) and {@code application-redis.properties} (memory over
 * Redis, with the invalidation bus). {@link #main} runs a short demo that logs what each call did.
 */
@SpringBootApplication
@EnableCaching
public class BookstoreApplication {

  private static final Logger LOG = LoggerFactory.getLogger(BookstoreApplication.class);

  /** Runs the demo (profile {@code demo}) and closes the application, and with it its caches. */
  public static void main(String[] args) {
    new SpringApplicationBuilder(BookstoreApplication.class)
        .web(WebApplicationType.NONE)
        .profiles("demo")
        .run(args)
        .close();
  }

  /** The demo: each call says whether it reached the repository or was answered by a cache. */
  @Bean
  @Profile("demo")
  ApplicationRunner demo(BookCatalog catalog, PriceList prices, BookRepository repository) {
    return args -> {
      LOG.info("book(1) = {} (repository reads: {})", catalog.book(1), repository.reads());
      LOG.info("book(1) = {} (repository reads: {}: a cache hit)", catalog.book(1), repository.reads());
      LOG.info("byIsbn(unknown) = {} (repository reads: {})", catalog.byIsbn("000"), repository.reads());
      LOG.info("byIsbn(unknown) = {} (repository reads: {}: the null was cached)", catalog.byIsbn("000"),
          repository.reads());
      catalog.rename(1, "The Left Hand of Darkness (50th anniversary edition)");
      LOG.info("after rename, book(1) = {} (repository reads: {})", catalog.book(1), repository.reads());
      LOG.info("price(2) = {}, again {} (price lookups: {})", prices.price(2), prices.price(2), prices.lookups());
      prices.changePrice(2, new BigDecimal("9.99"));
      LOG.info("after changePrice, price(2) = {} (price lookups: {})", prices.price(2), prices.lookups());
    };
  }
}
