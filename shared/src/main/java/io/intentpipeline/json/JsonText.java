package io.intentpipeline.json;

import java.util.List;
import java.util.Map;

/**
 * Writes the training configuration (maps, lists, strings, numbers, booleans) as JSON without a
 * JSON library: initialising one costs a cold JVM a few hundred milliseconds of training time.
 */
public final class JsonText {
  private JsonText() {}

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as JSON text; NaN and infinities as null. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(512);
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      JsonStrings.quote(out, s);
    } else if (value instanceof Double d) {
      out.append(JsonNumbers.plain(d));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        JsonStrings.quote(out, String.valueOf(e.getKey()));
        out.append(':');
        append(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        append(out, list.get(i));
      }
      out.append(']');
    } else {
      JsonStrings.quote(out, value.toString());
    }
  }
}
