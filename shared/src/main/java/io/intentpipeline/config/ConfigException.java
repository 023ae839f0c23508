package io.intentpipeline.config;

/** A configuration value is missing or malformed; the message names the variable and what is expected. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
