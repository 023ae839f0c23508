package io.intentpipeline.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.intentpipeline.validation.InvalidRequestException;

/** The one JSON mapper of the process: building a mapper is costly, so it is built once. */
public final class Json {
  /** Thread-safe once configured; never reconfigure it after class initialisation. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {}

  /** Serialises {@code value}; a value that cannot be serialised is a programming error. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Parses a request body; malformed JSON is the caller's fault and answers 400. */
  public static JsonNode parseBody(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("body", "Request body is required and must be JSON");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("body", "Request body is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
