package io.intentpipeline.metrics;

import io.intentpipeline.validation.InvalidRequestException;
import java.util.Locale;

/** The periods snapshots freeze: the last complete UTC hour, day, Monday-to-Monday week or month. */
public enum PeriodType {
  HOURLY, DAILY, WEEKLY, MONTHLY;

  /** The name the database and the API use: {@code hourly}, {@code daily}, {@code weekly}, {@code monthly}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The period named {@code value}; a 400 naming {@code field} otherwise. */
  public static PeriodType parse(String field, String value) {
    if (value != null) {
      for (PeriodType type : values()) {
        if (type.key().equals(value)) {
          return type;
        }
      }
    }
    throw new InvalidRequestException(field, field + " must be one of hourly, daily, weekly, monthly");
  }
}
