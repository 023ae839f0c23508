package io.intentpipeline.dataset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines with the original system's field names: {@code user_message}, {@code intent},
 * {@code response}, {@code confidence_score}, {@code category}, {@code was_escalated},
 * {@code was_corrected}, {@code source}, and {@code created_at} (ISO-8601) when known.
 * Blank lines are skipped; any other line must be one JSON object.
 */
public final class JsonlFormat {
  private JsonlFormat() {}

  /** Reads every sample; a bad line fails with its line number and what is wrong. */
  public static List<TrainingSample> read(BufferedReader in) throws IOException {
    List<TrainingSample> samples = new ArrayList<>();
    readEach(in, SampleSink.strict(samples::add));
    return samples;
  }

  /**
   * Hands every line to {@code sink} as it is read: a sample, or the problem of a bad line (then
   * reading goes on with the next line).
   */
  public static void readEach(BufferedReader in, SampleSink sink) throws IOException {
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (number == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      TrainingSample sample;
      try {
        sample = parse(number, line);
      } catch (DatasetFormatException e) {
        sink.invalid(e);
        continue;
      }
      sink.sample(number, sample);
    }
  }

  /** Reads the {@code user_message} of every line; other fields are not needed. */
  public static List<String> readTexts(BufferedReader in) throws IOException {
    List<String> texts = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (number == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw new DatasetFormatException(number, "not valid JSON: " + Json.problem(e) + Json.column(e));
      }
      if (!(node instanceof ObjectNode object)) {
        throw new DatasetFormatException(number, "expected a JSON object");
      }
      texts.add(SampleFields.text(number, "user_message", string(number, object, "user_message"), true,
          SampleFields.MAX_MESSAGE));
    }
    return texts;
  }

  /** Parses one line (1-based {@code number} for errors). */
  static TrainingSample parse(int number, String line) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(number, "not valid JSON: " + Json.problem(e) + Json.column(e));
    }
    if (!(node instanceof ObjectNode object)) {
      throw new DatasetFormatException(number, "expected a JSON object");
    }
    String message = SampleFields.text(number, "user_message", string(number, object, "user_message"), true,
        SampleFields.MAX_MESSAGE);
    String intent = SampleFields.intent(number, "intent", string(number, object, "intent"));
    String response = SampleFields.text(number, "response", string(number, object, "response"), false, 50_000);
    Integer confidence = SampleFields.confidence(number, "confidence_score", integer(number, object, "confidence_score"));
    String category = SampleFields.text(number, "category", string(number, object, "category"), false, 100);
    boolean escalated = bool(number, object, "was_escalated");
    boolean corrected = bool(number, object, "was_corrected");
    String source = SampleFields.source(number, "source", string(number, object, "source"));
    Instant created = null;
    String createdText = string(number, object, "created_at");
    if (createdText != null) {
      try {
        created = Instant.parse(createdText);
      } catch (DateTimeParseException e) {
        throw new DatasetFormatException(number, "field 'created_at' is not an ISO-8601 instant");
      }
    }
    return new TrainingSample(message, intent, response, confidence, category, escalated, corrected, source,
        created);
  }

  private static String string(int number, ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new DatasetFormatException(number, "field '" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static Long integer(int number, ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
      return value.decimalValue().longValue();
    }
    throw new DatasetFormatException(number, "field '" + field + "' must be an integer");
  }

  private static boolean bool(int number, ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new DatasetFormatException(number, "field '" + field + "' must be true or false");
    }
    return value.booleanValue();
  }

  /** Writes one line per sample, fields in the seed's order. */
  public static void write(List<TrainingSample> samples, Writer out) {
    try {
      for (TrainingSample sample : samples) {
        out.write(line(sample));
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One sample as one JSON line (no newline). */
  public static String line(TrainingSample s) {
    java.io.StringWriter text = new java.io.StringWriter(128);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("user_message", s.userMessage());
      g.writeStringField("intent", s.intent());
      g.writeStringField("response", s.response());
      if (s.confidenceScore() == null) {
        g.writeNullField("confidence_score");
      } else {
        g.writeNumberField("confidence_score", s.confidenceScore());
      }
      g.writeStringField("category", s.category());
      g.writeBooleanField("was_escalated", s.wasEscalated());
      g.writeBooleanField("was_corrected", s.wasCorrected());
      g.writeStringField("source", s.source());
      if (s.createdAt() != null) {
        g.writeStringField("created_at", s.createdAt().toString());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
