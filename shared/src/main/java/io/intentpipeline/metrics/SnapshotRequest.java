package io.intentpipeline.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A request to freeze a period: its type, and optionally the moment whose last complete period is
 * meant ({@code at}, default now; never in the future, which would freeze a period still running).
 */
public record SnapshotRequest(PeriodType periodType, Optional<Instant> at) {
  private static final Set<String> FIELDS = Set.of("period_type", "at");
  /**
   * The earliest {@code at} accepted, as for interactions: no data is older, and a time far enough
   * in the past made the database refuse the period (a 500, found by the reliability suite).
   */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /**
   * Reads {@code {"period_type": "daily", "at": "2026-03-01T00:05:00Z"}}; a problem is a 400 naming
   * the field as {@code prefix + name} (the prefix says where the object sat, e.g. {@code detail.}).
   */
  public static SnapshotRequest fromJson(JsonNode body, String prefix, Instant now) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          "Expected a JSON object with period_type (hourly, daily, weekly or monthly)");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidRequestException(prefix + name, "Unknown field '" + prefix + name + "'; expected: at, period_type");
      }
    }
    JsonNode type = body.path("period_type");
    if (!type.isTextual()) {
      throw new InvalidRequestException(prefix + "period_type",
          prefix + "period_type is required: one of hourly, daily, weekly, monthly");
    }
    PeriodType periodType = PeriodType.parse(prefix + "period_type", type.asText());
    JsonNode atNode = body.path("at");
    Optional<Instant> at = Optional.empty();
    if (!atNode.isMissingNode() && !atNode.isNull()) {
      if (!atNode.isTextual()) {
        throw new InvalidRequestException(prefix + "at", prefix + "at must be an ISO-8601 time string");
      }
      Instant value = QueryParams.parseInstant(prefix + "at", atNode.asText());
      if (value.isAfter(now)) {
        throw new InvalidRequestException(prefix + "at", prefix + "at must not be in the future");
      }
      if (value.isBefore(EARLIEST)) {
        throw new InvalidRequestException(prefix + "at", prefix + "at must not be before 2000-01-01");
      }
      at = Optional.of(value);
    }
    return new SnapshotRequest(periodType, at);
  }

  /** This request, or when it names no {@code at}, the same period type at {@code firedAt}. */
  public SnapshotRequest orAt(Instant firedAt) {
    return at.isPresent() ? this : new SnapshotRequest(periodType, Optional.of(firedAt));
  }

  /**
   * The time a schedule fired, from its event's {@code time}; {@code now} when the time is empty,
   * does not parse, is before {@link #EARLIEST} (the database would refuse its period) or more than
   * a day ahead (year +1000000000 overflows the period's dates): such a time is not a schedule's.
   */
  public static Instant firedAt(String eventTime, Instant now) {
    if (eventTime.isEmpty()) {
      return now;
    }
    try {
      Instant fired = Instant.parse(eventTime);
      return fired.isBefore(EARLIEST) || fired.isAfter(now.plus(Duration.ofDays(1))) ? now : fired;
    } catch (DateTimeParseException e) {
      return now;
    }
  }
}
