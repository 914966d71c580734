package io.layercache.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad LayerCache setting into Spring Boot's short startup report ("APPLICATION FAILED TO
 * START", description, action) instead of a long stack trace.
 */
public final class LayerCacheFailureAnalyzer extends AbstractFailureAnalyzer<LayerCacheConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, LayerCacheConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Fix or remove the setting named above. Every layercache.* property is a setting of LayerCache's "
            + "reference configuration (layercache.default.* for all caches, layercache.caches.<name>.* for one); "
            + "docs/spring-boot.md lists them.",
        cause);
  }
}
