package io.intentpipeline.log;

import io.intentpipeline.json.JsonNumbers;
import io.intentpipeline.json.JsonStrings;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Structured logs: one JSON object per line on standard output, which Lambda ships to CloudWatch.
 *
 * <p>Fields are given as alternating names and values. Message texts of users may hold personal
 * data: never pass them here; log ids, counts and codes instead.
 */
public final class Log {
  private static volatile PrintStream out = System.out;

  private Log() {}

  /** Redirects the log, for tests that read what was logged. */
  public static void to(PrintStream stream) {
    out = stream;
  }

  public static void info(String event, Object... fields) {
    write("INFO", event, null, fields);
  }

  public static void warn(String event, Object... fields) {
    write("WARN", event, null, fields);
  }

  public static void error(String event, Object... fields) {
    write("ERROR", event, null, fields);
  }

  /** An error with its exception's class and message (never its stack of user data). */
  public static void error(String event, Throwable cause, Object... fields) {
    write("ERROR", event, cause, fields);
  }

  private static void write(String level, String event, Throwable cause, Object... fields) {
    StringBuilder line = new StringBuilder(128);
    line.append("{\"time\":\"").append(Instant.now()).append("\",\"level\":\"").append(level)
        .append("\",\"event\":");
    JsonStrings.quote(line, event);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      line.append(',');
      JsonStrings.quote(line, String.valueOf(fields[i]));
      line.append(':');
      value(line, fields[i + 1]);
    }
    if (cause != null) {
      line.append(",\"exception\":");
      JsonStrings.quote(line, cause.getClass().getName());
      line.append(",\"reason\":");
      JsonStrings.quote(line, String.valueOf(cause.getMessage()));
      StackTraceElement[] stack = cause.getStackTrace();
      if (stack.length > 0) {
        line.append(",\"at\":");
        JsonStrings.quote(line, stack[0].toString());
      }
    }
    line.append('}');
    out.println(line);
  }

  private static void value(StringBuilder line, Object value) {
    if (value == null) {
      line.append("null");
    } else if (value instanceof Double || value instanceof Float) {
      line.append(JsonNumbers.plain(((Number) value).doubleValue()));
    } else if (value instanceof BigDecimal decimal) {
      line.append(decimal.toPlainString());
    } else if (value instanceof Number || value instanceof Boolean) {
      line.append(value);
    } else {
      JsonStrings.quote(line, value.toString());
    }
  }
}
