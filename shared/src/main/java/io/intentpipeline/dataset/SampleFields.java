package io.intentpipeline.dataset;

import java.util.regex.Pattern;

/** Checks shared by the readers, so JSONL and CSV reject the same things with the same words. */
final class SampleFields {
  /** The database's {@code intent_name} domain (db/V1): what can be stored can be imported. */
  static final Pattern INTENT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:/?!-]{0,99}$");
  static final int MAX_MESSAGE = 10_000;

  private SampleFields() {}

  static String intent(int line, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new DatasetFormatException(line, "field '" + field + "' is missing or empty");
    }
    String intent = value.strip();
    if (!INTENT.matcher(intent).matches()) {
      throw new DatasetFormatException(line, "field '" + field + "' is not a valid intent name "
          + "(1-100 characters: a letter or digit, then letters, digits or _ . : / ? ! -)");
    }
    return intent;
  }

  static String text(int line, String field, String value, boolean required, int max) {
    if (value == null) {
      if (required) {
        throw new DatasetFormatException(line, "field '" + field + "' is missing");
      }
      return "";
    }
    if (value.length() > max) {
      throw new DatasetFormatException(line, "field '" + field + "' is longer than " + max + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        throw new DatasetFormatException(line, "field '" + field + "' contains a NUL character");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new DatasetFormatException(line, "field '" + field + "' contains an unpaired surrogate");
      }
      if (Character.isLowSurrogate(c)) {
        throw new DatasetFormatException(line, "field '" + field + "' contains an unpaired surrogate");
      }
    }
    return value;
  }

  static Integer confidence(int line, String field, Long value) {
    if (value == null) {
      return null;
    }
    if (value < 0 || value > 100) {
      throw new DatasetFormatException(line, "field '" + field + "' must be between 0 and 100, got " + value);
    }
    return value.intValue();
  }

  static String source(int line, String field, String value) {
    if (value == null || value.isBlank()) {
      return "imported";
    }
    if (!TrainingSample.SOURCES.contains(value)) {
      throw new DatasetFormatException(line, "field '" + field + "' must be live, imported or synthetic, got '"
          + abbreviate(value) + "'");
    }
    return value;
  }

  static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
