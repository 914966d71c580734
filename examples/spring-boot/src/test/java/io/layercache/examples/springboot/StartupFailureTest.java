package io.layercache.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A misspelled LayerCache property stops the application, and the report names it. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

  @Test
  void aMisspelledPropertyStopsStartupWithAReportNamingIt(CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(BookstoreApplication.class)
        .web(WebApplicationType.NONE)
        .properties("layercache.caches.books.memory.maximum-sise=500");

    assertThatThrownBy(app::run)
        .hasStackTraceContaining("layercache.caches.books.memory.maximum-sise: unknown setting");

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("layercache.caches.books.memory.maximum-sise");
  }
}
