package io.intentpipeline.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads configuration from environment variables, once, at start-up.
 *
 * <p>Every accessor fails at once with a {@link ConfigException} naming the variable when it is
 * missing or malformed, so a misconfigured function dies on its first cold start instead of on
 * some later request.
 */
public final class Env {
  private final Map<String, String> values;

  private Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  /** A fixed set of variables, for tests and the local stack. */
  public static Env of(Map<String, String> values) {
    return new Env(values);
  }

  /** This environment with some variables added or replaced. */
  public Env with(Map<String, String> overrides) {
    var merged = new java.util.HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  /** The raw value, if set and not blank. */
  public Optional<String> optional(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The value; fails naming {@code name} when it is unset or blank. */
  public String required(String name) {
    return optional(name)
        .orElseThrow(() -> new ConfigException("Environment variable " + name + " is required but not set"));
  }

  /** The value, or {@code fallback} when unset. */
  public String string(String name, String fallback) {
    return optional(name).orElse(Objects.requireNonNull(fallback));
  }

  /** An integer within [min, max], or {@code fallback} when unset. */
  public int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "Environment variable " + name + " must be an integer, got '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(
          "Environment variable " + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** A number within [min, max], or {@code fallback} when unset. */
  public double decimal(String name, double fallback, double min, double max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    double value;
    try {
      value = Double.parseDouble(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "Environment variable " + name + " must be a number, got '" + raw.get() + "'");
    }
    if (!(value >= min && value <= max)) {
      throw new ConfigException(
          "Environment variable " + name + " must be between " + min + " and " + max + ", got " + raw.get());
    }
    return value;
  }

  /** A boolean ({@code true} or {@code false}), or {@code fallback} when unset. */
  public boolean bool(String name, boolean fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(
          "Environment variable " + name + " must be true or false, got '" + raw.get() + "'");
    };
  }

  /** A duration in whole seconds within [min, max], or {@code fallback} when unset. */
  public Duration seconds(String name, Duration fallback, long minSeconds, long maxSeconds) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "Environment variable " + name + " must be a whole number of seconds, got '" + raw.get() + "'");
    }
    if (value < minSeconds || value > maxSeconds) {
      throw new ConfigException("Environment variable " + name + " must be between " + minSeconds
          + " and " + maxSeconds + " seconds, got " + value);
    }
    return Duration.ofSeconds(value);
  }

  /** An absolute http(s) URI, if set. */
  public Optional<URI> uri(String name) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw.get());
      if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new URISyntaxException(raw.get(), "not an absolute http(s) URL");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "Environment variable " + name + " must be an absolute http(s) URL, got '" + raw.get() + "'");
    }
  }
}
