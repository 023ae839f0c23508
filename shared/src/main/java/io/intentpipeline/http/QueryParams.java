package io.intentpipeline.http;

import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query string of one request, read strictly: a parameter the route does not know, or a
 * value of the wrong shape, is a 400 naming the parameter (a typo never silently widens a query).
 */
public final class QueryParams {
  private static final Pattern INTENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/?!-]{0,99}");

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  /** The parameters of {@code request}; 400 naming the first one not in {@code allowed}. */
  public static QueryParams of(HttpRequest request, Set<String> allowed) {
    Map<String, String> raw = request.event().getQueryStringParameters();
    return of(raw == null ? Map.of() : raw, allowed);
  }

  /**
   * The same reading of parameters given another way (a direct invocation's payload); 400 naming
   * the first one not in {@code allowed}.
   */
  public static QueryParams of(Map<String, String> values, Set<String> allowed) {
    for (String name : new TreeSet<>(values.keySet())) {
      if (!allowed.contains(name)) {
        throw new InvalidRequestException(name,
            "Unknown query parameter '" + name + "'; this route accepts: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return new QueryParams(values);
  }

  /** The value of {@code name}, if present and not blank. */
  public Optional<String> string(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** An integer in [min, max], or {@code fallback} when absent. */
  public int integer(String name, int fallback, int min, int max) {
    return optionalInteger(name, min, max).orElse(fallback);
  }

  /** An integer in [min, max], if present. */
  public Optional<Integer> optionalInteger(String name, int min, int max) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name, name + " must be an integer between " + min + " and " + max);
    }
    if (value < min || value > max) {
      throw new InvalidRequestException(name, name + " must be between " + min + " and " + max + ", got " + value);
    }
    return Optional.of(value);
  }

  /**
   * An instant, if present: ISO-8601 with an offset ({@code 2026-03-01T12:00:00Z},
   * {@code 2026-03-01T13:00:00+01:00}) or a date, meaning its start in UTC.
   */
  public Optional<Instant> instant(String name) {
    return string(name).map(raw -> parseInstant(name, raw));
  }

  /** Parses an ISO-8601 instant or date (start of the day, UTC); 400 naming {@code field}. */
  public static Instant parseInstant(String field, String raw) {
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new InvalidRequestException(field, field
            + " must be an ISO-8601 time with an offset, e.g. 2026-03-01T12:00:00Z, or a date, e.g. 2026-03-01");
      }
    }
  }

  /** An intent name (letters, digits, then also _ . : / ? ! -, at most 100), if present. */
  public Optional<String> intent(String name) {
    Optional<String> raw = string(name);
    if (raw.isPresent() && !INTENT.matcher(raw.get()).matches()) {
      throw new InvalidRequestException(name, name
          + " must be an intent name: 1-100 characters, a letter or digit first, then letters, digits or _ . : / ? ! -");
    }
    return raw;
  }

  /** One of {@code choices}, if present. */
  public Optional<String> choice(String name, Set<String> choices) {
    Optional<String> raw = string(name);
    if (raw.isPresent() && !choices.contains(raw.get())) {
      throw new InvalidRequestException(name, name + " must be one of " + String.join(", ", new TreeSet<>(choices)));
    }
    return raw;
  }

  /** Whether intent names are well formed, for bodies that carry them. */
  public static boolean isIntentName(String value) {
    return value != null && INTENT.matcher(value).matches();
  }
}
