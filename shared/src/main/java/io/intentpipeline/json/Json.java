package io.intentpipeline.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Locale;

/** The one JSON mapper of the process: building a mapper is costly, so it is built once. */
public final class Json {
  /**
   * Thread-safe once configured; never reconfigure it after class initialisation. It refuses a
   * key repeated in one object (the last would silently win) and writes every number in plain
   * notation ({@link JsonNumbers}).
   */
  public static final ObjectMapper MAPPER = JsonMapper.builder(factory())
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private Json() {}

  /**
   * The JSON factory of every mapper of the project: duplicate keys refused on reading, numbers
   * plain on writing.
   */
  public static JsonFactory factory() {
    return JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .addDecorator((factory, generator) -> new PlainNumbers(generator))
        .build();
  }

  /** Serialises {@code value}; a value that cannot be serialised is a programming error. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Parses a request body; malformed JSON is the caller's fault and answers 400 saying where and what. */
  public static JsonNode parseBody(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("body", "Request body is required and must be JSON");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw malformed("body", "Request body", e);
    }
  }

  /**
   * The 400 for JSON that {@code what} (e.g. "Request body") holds and Jackson refused: what is
   * wrong and where (line and column, or the repeated field's path), never the text that was
   * sent (it may be a user's personal data) nor the parser's internals.
   */
  public static InvalidRequestException malformed(String field, String what, JsonProcessingException e) {
    String duplicate = duplicateField(e);
    if (duplicate != null) {
      return new InvalidRequestException(duplicate, "Field '" + duplicate + "' appears twice in "
          + what.toLowerCase(Locale.ROOT) + where(e) + "; each field may appear once in an object");
    }
    return new InvalidRequestException(field, what + " is not valid JSON: " + problem(e) + where(e));
  }

  /** What is wrong with the JSON, in the words of the hand-written reader ({@link JsonLite}), never the input. */
  public static String problem(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof StreamConstraintsException) {
      StreamReadConstraints limits = StreamReadConstraints.defaults();
      if (original.startsWith("Number")) {
        return "a number longer than " + limits.getMaxNumberLength() + " characters";
      }
      if (original.startsWith("String")) {
        return "a string longer than " + limits.getMaxStringLength() + " characters";
      }
      if (original.contains("depth")) {
        return "nested deeper than " + limits.getMaxNestingDepth() + " levels";
      }
      return "a value beyond the reader's limits";
    }
    String duplicate = duplicateField(e);
    if (duplicate != null) {
      return "field '" + duplicate + "' appears twice in one object";
    }
    if (original.startsWith("Unexpected end-of-input")) {
      return "the JSON ends too early";
    }
    if (original.startsWith("Trailing token")) {
      return "unexpected text after the JSON value";
    }
    if (original.startsWith("Illegal unquoted character")) {
      return "control character in a string (escape it)";
    }
    if (original.startsWith("Unrecognized character escape") || original.contains("escape sequence")) {
      return "invalid escape sequence";
    }
    if (original.startsWith("Invalid numeric value") || original.startsWith("Non-standard token")
        || original.contains("Leading zeroes") || original.contains("number")) {
      return "invalid number";
    }
    if (original.startsWith("Invalid UTF-8")) {
      return "invalid UTF-8";
    }
    if (original.contains("was expecting double-quote to start field name")) {
      return "expected a field name in double quotes";
    }
    if (original.contains("was expecting comma")) {
      return "expected ',' between values";
    }
    if (original.startsWith("Unexpected close marker")) {
      return "a closing bracket that matches nothing";
    }
    if (original.startsWith("Unexpected character") || original.startsWith("Unrecognized token")) {
      return "unexpected character";
    }
    return "malformed JSON";
  }

  /** Where the problem is: {@code " at line L, column C"}, or nothing when the parser cannot say. */
  static String where(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** Where the problem is on a line of its own (a JSON Lines record): {@code " at column C"}, or nothing. */
  public static String column(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    return location == null || location.getColumnNr() < 1 ? "" : " at column " + location.getColumnNr();
  }

  /** The path of a key Jackson refused as repeated ({@code interactions[1].user_message}), else null. */
  private static String duplicateField(JsonProcessingException e) {
    String original = e.getOriginalMessage();
    if (original == null || !original.startsWith("Duplicate field '") || !original.endsWith("'")) {
      return null;
    }
    String name = original.substring("Duplicate field '".length(), original.length() - 1);
    StringBuilder path = new StringBuilder();
    if (e instanceof StreamReadException read && read.getProcessor() != null) {
      // The object holding the repeated key, from the outermost value in.
      JsonStreamContext context = read.getProcessor().getParsingContext();
      ArrayDeque<String> parts = new ArrayDeque<>();
      for (JsonStreamContext c = context == null ? null : context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
        parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
      }
      parts.forEach(path::append);
    }
    path.append('.').append(printable(name) ? name : "?");
    return path.charAt(0) == '.' ? path.substring(1) : path.toString();
  }

  private static boolean printable(String name) {
    return !name.isEmpty() && name.length() <= 100 && name.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
  }

  /** Writes doubles and floats in plain notation, as {@link JsonNumbers#plain(double)} does. */
  private static final class PlainNumbers extends JsonGeneratorDelegate {
    PlainNumbers(JsonGenerator delegate) {
      super(delegate, false);
    }

    @Override
    public void writeNumber(double value) throws IOException {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        super.writeNumber(value);
      } else {
        super.writeNumber(JsonNumbers.plain(value));
      }
    }

    @Override
    public void writeNumber(float value) throws IOException {
      writeNumber((double) value);
    }
  }
}
