package io.layercache.spring.boot;

/**
 * A {@code layercache.*} property or the file {@code layercache.config} names cannot configure
 * LayerCache. Thrown while the application context starts, so a typo stops the application
 * instead of silently running with defaults; the message names the setting.
 */
public class LayerCacheConfigurationException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the property or setting */
  public LayerCacheConfigurationException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the property or setting
   * @param cause   the configuration library's own error
   */
  public LayerCacheConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
