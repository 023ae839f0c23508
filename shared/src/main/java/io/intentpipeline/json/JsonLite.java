package io.intentpipeline.json;

import io.intentpipeline.validation.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (and string writer) for small request bodies, for functions that must not
 * load a JSON library on their cold start (predict). RFC 8259 only: no comments, no trailing commas, no NaN, no
 * duplicate keys, nothing after the value, at most {@link #MAX_DEPTH} levels of nesting.
 *
 * <p>Values become {@code Map<String, Object>} (in document order), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code null}, and numbers as {@link Long} when written as an
 * integer that fits, else {@link Double}. A syntax error is a 400 on field {@code body} saying
 * where; a repeated key is a 400 naming the key.
 */
public final class JsonLite {
  /** Deepest nesting accepted (a body nested deeper is refused, not parsed by recursion). */
  public static final int MAX_DEPTH = 32;

  private final String text;
  private int at;

  private JsonLite(String text) {
    this.text = text;
  }

  /** Parses a body that must be one JSON object. */
  public static Map<String, Object> parseObject(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("body", "Request body is required and must be a JSON object");
    }
    JsonLite reader = new JsonLite(body);
    reader.skipSpace();
    if (reader.peek() != '{') {
      throw new InvalidRequestException("body", "Request body must be a JSON object");
    }
    Object value = reader.value(0);
    reader.skipSpace();
    if (reader.at < body.length()) {
      throw reader.error("unexpected text after the JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) value;
    return object;
  }

  /** Parses any JSON value (null for the JSON literal {@code null}). */
  public static Object parse(String json) {
    JsonLite reader = new JsonLite(json);
    reader.skipSpace();
    Object value = reader.value(0);
    reader.skipSpace();
    if (reader.at < json.length()) {
      throw reader.error("unexpected text after the JSON value");
    }
    return value;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error(at >= text.length() ? "the JSON ends too early" : "unexpected character");
    }
  }

  private Map<String, Object> object(int depth) {
    at++;
    Map<String, Object> result = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      at++;
      return result;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a field name in double quotes");
      }
      String key = string();
      if (result.containsKey(key)) {
        throw new InvalidRequestException(key, "Field '" + key + "' appears twice in the request body");
      }
      skipSpace();
      expect(':');
      skipSpace();
      result.put(key, value(depth + 1));
      skipSpace();
      char c = peek();
      at++;
      if (c == '}') {
        return result;
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    at++;
    List<Object> result = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      at++;
      return result;
    }
    while (true) {
      skipSpace();
      result.add(value(depth + 1));
      skipSpace();
      char c = peek();
      at++;
      if (c == ']') {
        return result;
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    at++;
    int start = at;
    // Fast path: no escapes, the common case for short texts.
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '"') {
        return text.substring(start, at++);
      }
      if (c == '\\') {
        break;
      }
      if (c < 0x20) {
        throw error("control character in a string (escape it)");
      }
      at++;
    }
    StringBuilder out = new StringBuilder(text.length() - start);
    out.append(text, start, at);
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        at--;
        throw error("control character in a string (escape it)");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        break;
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> {
          at--;
          throw error("invalid escape sequence");
        }
      }
    }
    throw error("unterminated string");
  }

  private char hex4() {
    if (at + 4 > text.length()) {
      throw error("incomplete \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(at + i), 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    at += 4;
    return (char) v;
  }

  private Object number() {
    int start = at;
    boolean integral = true;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        at++;
      }
    } else {
      throw error("invalid number");
    }
    if (peek() == '.') {
      integral = false;
      at++;
      if (!isDigit(peek())) {
        throw error("invalid number");
      }
      while (isDigit(peek())) {
        at++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (!isDigit(peek())) {
        throw error("invalid number");
      }
      while (isDigit(peek())) {
        at++;
      }
    }
    String literal = text.substring(start, at);
    if (integral && literal.length() <= 18) {
      return Long.parseLong(literal);
    }
    return Double.parseDouble(literal);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected character");
    }
    at += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void skipSpace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private InvalidRequestException error(String what) {
    // The position, never the text around it: a body holds user messages.
    return new InvalidRequestException("body", "Request body is not valid JSON: " + what + " at character " + (at + 1));
  }
}
