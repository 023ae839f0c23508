package io.intentpipeline.json;

/**
 * The project's one JSON string escaper, alone in a small class so that a function logging a line
 * (every function) does not load a JSON reader with it.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /**
   * Appends {@code s} as a JSON string literal: quotes, backslashes and control characters
   * escaped, and U+2028/U+2029 too (some JavaScript readers take them for line ends).
   */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
        continue;
      }
      out.append(s, from, i);
      from = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          String hex = Integer.toHexString(c);
          out.append("\\u").append("0000", 0, 4 - hex.length()).append(hex);
        }
      }
    }
    out.append(s, from, s.length()).append('"');
  }
}
